/**
 * The lossless and lossy codes of Deep Compression (Han, Mao, Dally, ICLR 2016) used by the exported model file:
 * {@link org.sparsevd.core.compress.KMeans1d} (weight sharing: k-means over one layer's kept weights, linear
 * initialization), {@link org.sparsevd.core.compress.CanonicalHuffman} (per-layer canonical Huffman codes of gap
 * and centroid indices) and the bit streams they are written with. No DL4J, no Spark.
 */
package org.sparsevd.core.compress;
