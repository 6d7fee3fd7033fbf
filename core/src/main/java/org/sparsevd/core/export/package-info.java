/**
 * Turns a trained DL4J network of this project into the engine's description of it
 * ({@link org.sparsevd.core.engine.NetworkSpec}): the kept weights of every Sparse VD layer (log α &lt; threshold),
 * batch normalization folded into the preceding layer, ReLU merged into it.
 */
package org.sparsevd.core.export;
