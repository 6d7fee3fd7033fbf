package org.sparsevd.job.config;

/** Which set of IDX or CIFAR-10 data: the training or the test images. */
public enum DataSplit { TRAIN, TEST }
