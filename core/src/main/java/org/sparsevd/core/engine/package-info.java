/**
 * The exported model and the sparse inference engine: the model file's format ({@link org.sparsevd.core.engine.ModelFile}
 * reads it, {@link org.sparsevd.core.engine.ModelEncoder} writes it; see docs/model-format.md), the description of a
 * network it holds ({@link org.sparsevd.core.engine.NetworkSpec}, {@link org.sparsevd.core.engine.LayerSpec},
 * {@link org.sparsevd.core.engine.InputSpec}), and {@link org.sparsevd.core.engine.SparseNetwork}, which runs it on the
 * CPU without DL4J or Spark.
 */
package org.sparsevd.core.engine;
