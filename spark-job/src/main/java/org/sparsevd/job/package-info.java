/**
 * The entry point of the {@code sparsevd} command line ({@link org.sparsevd.job.Main}), of the launcher and of
 * {@code spark-submit}; the subcommands are in {@link org.sparsevd.job.cli}.
 */
package org.sparsevd.job;
