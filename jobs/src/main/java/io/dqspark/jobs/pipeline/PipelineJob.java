package io.dqspark.jobs.pipeline;

import io.dqspark.jobs.DqCli;
import io.dqspark.jobs.bench.EngineComparison;
import io.dqspark.jobs.common.ProjectPaths;
import io.dqspark.jobs.pipeline.report.ReportPublisher;
import io.dqspark.jobs.pipeline.report.ReportWriter;
import io.dqspark.jobs.pipeline.report.RunReport;
import io.dqspark.jobs.generate.GenerateJob;
import io.dqspark.jobs.score.ScoreJob;
import io.dqspark.jobs.train.ModelDirectory;
import io.dqspark.jobs.train.TrainJob;
import io.dqspark.jobs.train.TrainInput;
import io.dqspark.jobs.train.TrainSettings;
import io.dqspark.graph.GraphDataset;
import io.dqspark.model.ModelManifest;
import io.dqspark.train.FeatureScaling;
import io.dqspark.stats.DegreeSummary;
import io.dqspark.util.DqInputException;
import io.dqspark.util.HadoopFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The whole product from one settings file: ingest -> stats -> partition -> distributed
 * Degree-Quant training (DL4J parameter averaging, INT8 export at the end) -> integer scoring ->
 * {@code report.md} and a self-contained {@code report.html}. Each stage runs through its own
 * command (so the pipeline cannot drift from what the stage jobs do) into {@code OUT/ingested},
 * {@code OUT/stats}, {@code OUT/parts}, {@code OUT/models/NAME/vN} and {@code OUT/scores}, each
 * published atomically; the settings file is the train job's (conf/cora.conf, conf/proteins.conf).
 * With {@code generator = sbm} (conf/large.conf) or {@code rmat_scale} (conf/rmat.conf) a {@code
 * generate} stage first writes a synthetic graph into {@code OUT/generated} and the run trains on
 * that. Graph-level models score
 * every graph ({@code dq_predict_graph}); node-level models score every node part by part.
 */
@Command(name = "pipeline", mixinStandardHelpOptions = true,
    description = "ingest -> stats -> partition -> distributed DQ training + INT8 export -> integer scoring -> report, from one settings file.")
public final class PipelineJob implements Callable<Integer> {
  @Parameters(index = "0", arity = "0..1", defaultValue = "conf/cora.conf", paramLabel = "CONF",
      description = "Settings file with the train job's keys (default: ${DEFAULT-VALUE}).")
  String confFile;

  @Option(names = "--out", required = true, description = "Run folder; each stage writes a subfolder.")
  String out;

  @Option(names = "--overwrite", description = "Replace an earlier run in --out.")
  boolean overwrite;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Overrides a setting of CONF (repeatable).")
  List<String> sets = new ArrayList<>();

  /** Stages of this run (7 when a graph is generated first), for the progress lines. */
  private int stages = 6;
  /** Settings keys of the SBM generator and the generate job's options they become. */
  private static final Map<String, String> SBM_OPTIONS = new java.util.TreeMap<>(Map.of("nodes", "--nodes",
      "average_degree", "--average-degree", "classes", "--classes", "mixing", "--mixing", "feature_width",
      "--feature-width", "noise", "--noise", "degree_exponent", "--degree-exponent"));

  public static void main(String[] args) {
    DqCli.exit(DqCli.runAndStop(new PipelineJob(), args));
  }

  @Override
  public Integer call() throws IOException {
    String conf = ProjectPaths.resolve(confFile, "CONF");
    TrainSettings s = TrainSettings.read(java.nio.file.Path.of(conf));
    for (String kv : sets) {
      int eq = kv.indexOf('=');
      if (eq < 1) {
        throw new DqInputException("--set " + kv + ": expected KEY=VALUE");
      }
      s.set(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim(), "--set");
    }
    HadoopFiles files = HadoopFiles.withDefaults();
    prepareRunFolder(files);
    String generator = s.string("generator", s.has("rmat_scale") ? "rmat" : null);
    if (generator != null && !List.of("rmat", "sbm").contains(generator)) {
      throw new DqInputException(conf + ": generator must be sbm or rmat, got '" + generator + "'");
    }
    stages = generator != null ? 7 : 6;
    String name = s.string("name", "dataset");
    boolean int4 = "int4".equals(s.string("precision", "int8"));
    double pLow = s.number("p_low", int4 ? 0.1 : 0.0);
    double pHigh = s.number("p_high", int4 ? 0.2 : 0.1);
    String stats = out + "/stats";
    String parts = out + "/parts";
    String models = out + "/models";
    String scores = out + "/scores";

    RunReport report = new RunReport("degree-quant-spark pipeline: " + name);
    report.fact("settings: " + conf + (sets.isEmpty() ? "" : " with --set " + String.join(" ", sets)));
    List<String> train = new ArrayList<>(List.of("--conf", conf, "--set", "shards=" + parts, "--out", models));
    String input;
    if (generator != null) {
      String generated = out + "/generated";
      List<String> args;
      if ("sbm".equals(generator)) {
        if (!s.has("nodes")) {
          throw new DqInputException(conf + ": generator = sbm needs 'nodes' (" + TrainSettings.KEYS.get("nodes") + ")");
        }
        // only the keys the settings give: the generate job's option defaults are the defaults
        args = new ArrayList<>(List.of("--model", "sbm"));
        for (Map.Entry<String, String> k : SBM_OPTIONS.entrySet()) {
          if (s.has(k.getKey())) {
            args.addAll(List.of(k.getValue(), s.string(k.getKey(), null)));
          }
        }
        args.addAll(List.of("--seed", "" + s.integer("seed", 1), "--out", generated));
        report.fact("input: stochastic block model (generated): bin/dq generate " + String.join(" ", args));
      } else {
        report.fact(String.format("input: R-MAT scale %d, edge factor %d, %d features, %d classes, seed %d (generated)",
            s.integer("rmat_scale", 14), s.integer("rmat_edge_factor", 8), s.integer("rmat_features", 16),
            s.integer("rmat_classes", 4), s.integer("seed", 1)));
        args = List.of("--scale", "" + s.integer("rmat_scale", 14),
            "--edge-factor", "" + s.integer("rmat_edge_factor", 8), "--feature-width", "" + s.integer("rmat_features", 16),
            "--classes", "" + s.integer("rmat_classes", 4), "--seed", "" + s.integer("seed", 1), "--out", generated);
      }
      stage(report, "generate", new GenerateJob(), args);
      ShardStages.run(generated, "parquet", name, pLow, pHigh, s.integer("parts", 2), out, false, progress, (n, r) -> report.stage(n, r.seconds(), r.peakHeapBytes()));
      input = out + "/ingested"; // canonical tables: the driver evaluates on the cleaned graph
      train.addAll(List.of("--set", "input=" + input));
    } else {
      if (!s.has("input")) {
        throw new DqInputException(conf + ": setting 'input' is required (" + TrainSettings.KEYS.get("input")
            + "), or generator = sbm / rmat_scale for a generated graph");
      }
      input = ProjectPaths.resolve(s.string("input", null), "input");
      report.fact("input: " + input);
      // the dataset name comes from the input path (ind.cora.*, PROTEINS_A.txt); `name` names the model
      ShardStages.run(input, null, pLow, pHigh, s.integer("parts", 2), out, false, progress, (n, r) -> report.stage(n, r.seconds(), r.peakHeapBytes()));
    }
    report.fact("output: " + out);
    for (String kv : sets) {
      train.addAll(List.of("--set", kv));
    }
    stage(report, "train + INT8 export", new TrainJob(), train);
    ModelDirectory.Published model = ModelDirectory.read(files.conf(),
        models + "/" + name + "/v" + new ModelDirectory(files.conf(), models, name).latest());
    String statsJson = stats + "/stats.json";
    DegreeSummary degrees = DegreeSummary.fromJson(
        new String(files.readAll(new Path(statsJson), "stats summary"), StandardCharsets.UTF_8), statsJson);
    report.degrees(degrees);
    ModelManifest manifest = model.manifest();
    boolean nodeLevel = "node".equals(manifest.task);
    boolean scorable = manifest.files.containsKey("quantized");
    if (scorable) {
      stage(report, "score (integer engine)", new ScoreJob(),
          List.of("--model", model.dir().toString(), "--input", parts, "--output-format", "csv", "--out", scores));
      Reports.addScoring(report, files, scores, manifest);
    } else {
      System.out.printf("[%d/%d] score: skipped (no integer %s %s model)%n", stages - 1, stages,
          manifest.arch, manifest.precision);
    }
    System.out.printf("[%d/%d] report%n", stages, stages);
    Reports.addAccuracy(report, manifest, s.integer("workers", 2));
    if (scorable) {
      GraphDataset data = TrainInput.read(input);
      EngineComparison.Result engines = !nodeLevel
          ? EngineComparison.gin(name, model.network(), FeatureScaling.scaled(data, manifest.featureScale), 5)
          : "gcn".equals(manifest.arch)
              ? EngineComparison.gcn(name, model.network(), data, s.bool("row_normalize", false), 5) : null;
      if (engines != null) {
        Reports.addEngines(report, engines);
      } else {
        report.fact("engines: no timing comparison for a node-level " + manifest.arch + " yet");
      }
    }
    ReportPublisher.publish(files.conf(), out, ReportWriter.render(report));
    System.out.println("pipeline done: model " + model.dir() + "; report " + out + "/" + ReportWriter.MARKDOWN
        + " and " + out + "/" + ReportWriter.HTML);
    return 0;
  }

  /** Refuses a folder that holds anything unless --overwrite, which clears it first. */
  private void prepareRunFolder(HadoopFiles files) throws IOException {
    Path dir = new Path(out);
    FileSystem fs = files.fileSystem(dir);
    if (fs.exists(dir) && fs.listStatus(dir).length > 0) {
      if (!overwrite) {
        throw new DqInputException("--out " + out + " holds a previous run; choose another folder or pass --overwrite");
      }
      fs.delete(dir, true);
    }
  }

  /** Numbers the stages as they start and finish: "[3/6] partition ...". */
  private final ShardStages.StageLog progress = new ShardStages.StageLog() {
    private int number;

    @Override
    public void started(String stage, List<String> args) {
      number++;
      System.out.printf("[%d/%d] %s %s%n", number, stages, stage, String.join(" ", args));
    }

    @Override
    public void finished(String stage, double seconds) {
      System.out.printf("[%d/%d] %s done in %.1f s%n", number, stages, stage, seconds);
    }
  };

  private void stage(RunReport report, String label, Object job, List<String> args) {
    ShardStages.StageRun r = ShardStages.stage(progress, job, args, false);
    report.stage(label, r.seconds(), r.peakHeapBytes());
  }
}
