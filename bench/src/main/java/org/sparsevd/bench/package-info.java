/** Benchmarks that print tables for BENCHMARKS.md: throughput, a Spark epoch, accuracy of a run. */
package org.sparsevd.bench;
