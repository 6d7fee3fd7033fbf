/**
 * Reproducible seeds: {@link org.sparsevd.core.seed.Seeds} derives independent seeds from a run seed and indices
 * (epoch, partition); {@link org.sparsevd.core.seed.NoiseSeed} seeds the Sparse VD noise of a minibatch from the
 * run seed, the epoch and the minibatch's content, so any executor draws the same noise for it.
 */
package org.sparsevd.core.seed;
