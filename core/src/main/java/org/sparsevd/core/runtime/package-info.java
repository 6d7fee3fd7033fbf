/** Settings of the native ND4J runtime of a JVM: the BLAS thread count ({@link org.sparsevd.core.runtime.NativeThreads}). */
package org.sparsevd.core.runtime;
