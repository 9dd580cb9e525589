package io.dqspark.jobs.ingest;

import io.dqspark.jobs.common.AtomicOutput;
import io.dqspark.jobs.common.GraphWriter;
import io.dqspark.jobs.common.IngestReport;
import io.dqspark.jobs.common.Json;
import io.dqspark.jobs.common.OutputOptions;
import io.dqspark.jobs.common.SparkGraph;
import io.dqspark.jobs.common.SparkJob;
import io.dqspark.jobs.common.TablesManifest;
import io.dqspark.jobs.DqCli;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Any supported input to canonical tables (design §3), cleaned, with an {@code ingest.json} report. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
    description = "Read a graph (Planetoid, TU, edge list, Parquet/CSV tables) and write canonical tables.")
public final class IngestJob extends SparkJob {
  @Mixin InputOptions input = new InputOptions();
  @Mixin OutputOptions output = new OutputOptions();

  public static void main(String[] args) {
    DqCli.exit(DqCli.runAndStop(new IngestJob(), args));
  }

  @Override
  protected String stage() {
    return "ingest";
  }

  @Override
  protected void run(SparkSession spark) {
    SparkGraph graph = GraphReader.read(spark, input);
    try (AtomicOutput out = AtomicOutput.begin(spark.sparkContext().hadoopConfiguration(), output.out, output.overwrite)) {
      GraphWriter writer = new GraphWriter(out, output.format);
      GraphWriter.WrittenCounts written = writer.writeAll(graph);
      IngestReport report = IngestReport.afterWrite(graph.cleaning(), written);
      out.writeText("ingest.json", Json.write(report.toMap()));
      out.writeText(TablesManifest.FILE,
          new TablesManifest(graph.name(), graph.level(), writer.formatName(), written.tables(), stage()).toJson());
      out.commit();
      System.out.printf("ingest %s: %d vertices, %d edges%s -> %s%n", graph.name(), written.vertices(),
          written.edges(), written.graphs() > 0 ? ", " + written.graphs() + " graphs" : "", out.target());
      System.out.printf("  dropped: %d self-loops, %d duplicates, %d edges with unknown vertices%n",
          report.selfLoops(), report.duplicates(), report.unknownVertices());
    }
  }
}
