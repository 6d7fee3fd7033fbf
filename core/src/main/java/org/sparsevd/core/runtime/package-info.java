/** Settings of the native ND4J runtime of a JVM: the BLAS thread count and a training thread's OpenMP threads ({@link org.sparsevd.core.runtime.NativeThreads}). */
package org.sparsevd.core.runtime;
