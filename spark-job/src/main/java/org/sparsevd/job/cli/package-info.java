/**
 * The subcommands ({@code train}, {@code sweep}, {@code report}, {@code kl-curve}): their options, turned into the
 * validated configurations of {@link org.sparsevd.job.config}, the sweep spec file, and how failures are shown
 * ({@link org.sparsevd.job.cli.UserErrors}: one line and an exit code).
 */
package org.sparsevd.job.cli;
