package io.dqspark.jobs.ingest;

import io.dqspark.graph.GraphDataset;
import io.dqspark.jobs.common.SparkGraph;
import io.dqspark.jobs.common.TablesManifest;
import io.dqspark.loaders.PlanetoidLoader;
import io.dqspark.loaders.TuLoader;
import io.dqspark.util.HadoopFiles;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads any supported input as clean canonical DataFrames. Small fixed formats (Planetoid, TU)
 * are parsed in the driver by the lib loaders; edge lists and tables are read by the executors.
 * Output folders of our own jobs carry a {@code tables.json} manifest and are taken as clean.
 */
public final class GraphReader {
  private static final Logger LOG = LoggerFactory.getLogger(GraphReader.class);

  private GraphReader() {}

  public static SparkGraph read(SparkSession spark, InputOptions in) {
    HadoopFiles files = new HadoopFiles(spark.sparkContext().hadoopConfiguration());
    InputFormat format = in.format.resolve(files, in.input);
    String formatName = format.name().toLowerCase(Locale.ROOT);
    LOG.info("reading {} as {}", in.input, formatName);
    switch (format) {
      case PLANETOID: {
        GraphDataset data = PlanetoidLoader.load(files, in.input, in.name, in.rules());
        return LocalDatasets.toSpark(spark, data, in.input, formatName);
      }
      case TU: {
        GraphDataset data = TuLoader.load(files, in.input, in.name, in.rules());
        return LocalDatasets.toSpark(spark, data, in.input, formatName);
      }
      case EDGELIST: {
        SparkGraph raw = ParallelEdgeListReader.read(spark, in.input, in.datasetName(), in.header, in.symmetrize);
        return EdgeCleaning.apply(raw, in.rules(), in.input, formatName);
      }
      case PARQUET:
      case CSV: {
        TablesManifest manifest = TablesManifest.readIfPresent(files, in.input);
        String name = in.name != null ? in.name : manifest != null ? manifest.name() : in.datasetName();
        SparkGraph tables = CanonicalTableReader.read(spark, in.input, name, format);
        if (manifest != null) {
          LOG.info("{} was written by the {} job: taking its tables as clean", in.input, manifest.stage());
          return new SparkGraph(name, manifest.level(), tables.vertices(), tables.edges(), tables.graphs(), null);
        }
        return EdgeCleaning.apply(tables, in.rules(), in.input, formatName);
      }
      default:
        throw new IllegalStateException("unresolved input format " + format);
    }
  }

}
