package io.dqspark.jobs.common;

import picocli.CommandLine.Option;

/** Output options every job shares (a picocli mixin). */
public final class OutputOptions {
  /** Table formats a job can write. */
  public enum Format { PARQUET, CSV }

  @Option(names = "--out", required = true, paramLabel = "PATH",
      description = "Output folder (any Hadoop file system); published atomically when the job succeeds.")
  public String out;

  @Option(names = "--output-format", defaultValue = "parquet", paramLabel = "FORMAT",
      description = "parquet or csv (csv writes arrays as ';'-joined numbers) (default: ${DEFAULT-VALUE}).")
  public Format format = Format.PARQUET;

  @Option(names = "--overwrite", description = "Replace an existing output folder (default: refuse).")
  public boolean overwrite;
}
