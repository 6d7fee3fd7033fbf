package org.sparsevd.job.train;

/**
 * What one epoch of training used and measured, as epoch means over its minibatches (each weighted by its examples):
 * every minibatch's terms are computed on the same parameters, those it was fitted from, under its training noise.
 *
 * @param klWeight  the KL weight every minibatch of the epoch was fitted with
 * @param dataLoss  mean cross-entropy of the minibatches
 * @param objective mean of the minimized objective per example, {@code dataLoss + klWeight · KL / N} per minibatch:
 *                  the negative SGVLB (eq. 3 of Molchanov et al., 2017) divided by N
 * @param trainAccuracy the share of the minibatches' examples classified right in their training forward passes
 *                  ({@link TrainAccuracy})
 */
public record EpochFit(double klWeight, double dataLoss, double objective, double trainAccuracy) {
}
