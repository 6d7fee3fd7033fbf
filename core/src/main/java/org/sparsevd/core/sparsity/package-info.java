/** How sparse a trained network is: kept weights, sparsity, KL and mean logα per layer, and the compression ({@link org.sparsevd.core.sparsity.SparsityReport}). */
package org.sparsevd.core.sparsity;
