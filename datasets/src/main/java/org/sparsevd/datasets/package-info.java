/**
 * Labeled image sets read and validated from any Hadoop FileSystem URI: IDX files ({@link org.sparsevd.datasets.IdxDataset},
 * {@link org.sparsevd.datasets.IdxReader}) and CIFAR-10 binaries ({@link org.sparsevd.datasets.Cifar10Reader}), held as
 * {@link org.sparsevd.datasets.LabeledImages} and paired in {@link org.sparsevd.datasets.TrainAndTestSets}; subsets,
 * minibatches, per-channel normalization and augmentation. Bad input is a one-line
 * {@link org.sparsevd.datasets.DatasetException}.
 */
package org.sparsevd.datasets;
