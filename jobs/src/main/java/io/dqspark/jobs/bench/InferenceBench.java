package io.dqspark.jobs.bench;

import io.dqspark.engine.CpuInfo;
import io.dqspark.engine.Kernels;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/dq bench inference}: times the INT8 engine against the FP32 engine and DL4J's FP32
 * forward of the same model (GCN, GIN and GAT), in one JVM, on Cora, an R-MAT graph and PROTEINS,
 * and prints the model files' sizes. Every engine runs single-threaded (set {@code OMP_NUM_THREADS=1} for oneDNN
 * and ND4J; {@code bin/dq} does so for this command); each forward pass includes quantizing the
 * input features but not preparing the graph (done once per graph, as a scorer would).
 */
@Command(name = "inference", mixinStandardHelpOptions = true,
    description = "INT8 engine vs FP32 engine vs DL4J FP32 inference: wall times, ratios, model sizes.")
public final class InferenceBench implements Callable<Integer> {
  @Option(names = "--cora", description = "Planetoid folder holding ind.cora.* (default: data/planetoid/cora under the repository).")
  String cora;

  @Option(names = "--cora-epochs", defaultValue = "100", description = "Training epochs of Cora's DQ INT8 GCN (default: ${DEFAULT-VALUE}).")
  int coraEpochs;

  @Option(names = "--scale", defaultValue = "20", description = "R-MAT scale of the large graph (default: ${DEFAULT-VALUE}).")
  int scale;

  @Option(names = "--dl4j-scale", defaultValue = "16",
      description = "R-MAT scale DL4J runs on (0: skip DL4J on R-MAT; default: ${DEFAULT-VALUE}).")
  int dl4jScale;

  @Option(names = "--width", defaultValue = "64", description = "R-MAT feature width (default: ${DEFAULT-VALUE}).")
  int width;

  @Option(names = "--classes", defaultValue = "16", description = "Classes of the R-MAT model (default: ${DEFAULT-VALUE}).")
  int classes;

  @Option(names = "--proteins", description = "TU folder holding PROTEINS_*.txt (default: data/tu/PROTEINS under the repository).")
  String proteins;

  @Option(names = "--proteins-epochs", defaultValue = "20", description = "Training epochs of the PROTEINS GIN (default: ${DEFAULT-VALUE}).")
  int proteinsEpochs;

  @Option(names = "--warmup", defaultValue = "2", description = "Untimed runs per engine (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--repetitions", defaultValue = "5", description = "Timed runs per engine (default: ${DEFAULT-VALUE}).")
  int repetitions;

  @Option(names = "--datasets", split = ",", defaultValue = "cora,rmat,rmat-gin,cora-gat,rmat-gat,proteins",
      description = "Which cases to run (default: ${DEFAULT-VALUE}).")
  List<String> datasets;

  @Option(names = "--seed", defaultValue = "7", description = "Seed of training and data (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--json", description = "Also write the timings to this file: a list of rows "
      + "{case, graph, engine, best_s, median_s, cpu, kernels}.")
  String json;

  /** One timed engine of one case, as --json writes it. */
  record Row(String caseName, String graph, String engine, double bestSeconds, double medianSeconds,
      String cpu, String kernels) {
    java.util.Map<String, Object> toJson() {
      java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
      m.put("case", caseName);
      m.put("graph", graph);
      m.put("engine", engine.equals("dl4j fp32") ? "dl4j" : engine);
      m.put("best_s", bestSeconds);
      m.put("median_s", medianSeconds);
      m.put("cpu", cpu);
      m.put("kernels", kernels);
      return m;
    }
  }

  private final List<Row> rows = new ArrayList<>();

  @Override
  public Integer call() {
    if (warmup < 0 || repetitions < 1) {
      throw new IllegalArgumentException("--warmup must be >= 0 and --repetitions >= 1");
    }
    System.out.println("engine: " + Kernels.report());
    System.out.println("java " + System.getProperty("java.vm.version") + ", "
        + Runtime.getRuntime().availableProcessors() + " processors, OMP_NUM_THREADS="
        + System.getenv("OMP_NUM_THREADS") + ", max heap "
        + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB, load average at start "
        + loadAverage());
    List<InferenceCase> cases = new ArrayList<>();
    for (String d : datasets) {
      switch (d.trim()) {
        case "cora":
          cases.add(GcnCases.cora(cora != null ? cora : Paths.get(System.getProperty("dq.home", "."),
              "data/planetoid/cora").toString(), coraEpochs, seed));
          break;
        case "rmat":
          cases.add(GcnCases.rmat(scale, dl4jScale, width, classes, seed));
          break;
        case "rmat-gin":
          cases.add(GinCases.rmat(scale, dl4jScale, width, classes, seed));
          break;
        case "cora-gat":
          cases.add(GatCases.cora(cora != null ? cora : Paths.get(System.getProperty("dq.home", "."),
              "data/planetoid/cora").toString(), coraEpochs, seed));
          break;
        case "rmat-gat":
          cases.add(GatCases.rmat(scale, dl4jScale, width, classes, seed));
          break;
        case "proteins":
          cases.add(GinCases.proteins(proteins != null ? proteins : Paths.get(System.getProperty("dq.home", "."),
              "data/tu/PROTEINS").toString(), proteinsEpochs, seed));
          break;
        default:
          throw new IllegalArgumentException("unknown dataset '" + d + "' (cora, rmat, rmat-gin, cora-gat, rmat-gat, proteins)");
      }
      InferenceCase c = cases.get(cases.size() - 1);
      report(d.trim(), c);
    }
    if (json != null) {
      List<Object> out = new ArrayList<>();
      rows.forEach(r -> out.add(r.toJson()));
      JsonFile.write(json, out);
      System.out.println("\nwrote " + rows.size() + " rows to " + json);
    }
    return 0;
  }

  private void report(String key, InferenceCase c) {
    System.out.println();
    System.out.println("## " + c.name() + ": " + c.graph());
    for (String note : c.notes()) {
      System.out.println("- " + note);
    }
    if (c.engines().isEmpty()) {
      return;
    }
    List<Runnable> runs = new ArrayList<>();
    for (InferenceCase.Engine e : c.engines()) {
      runs.add(e.forward());
    }
    List<Timing> times = Timing.measureInterleaved(runs, warmup, repetitions);
    for (int i = 0; i < times.size(); i++) {
      InferenceCase.Engine e = c.engines().get(i);
      rows.add(new Row(key, e.graph(), e.name(), times.get(i).bestSeconds(),
          times.get(i).medianSeconds(), CpuInfo.get().summary(), e.kernels()));
    }
    System.out.printf("%n| engine | graph | best (s) | median (s) | int8 speed-up (best) | int8 speed-up (median) | kernels |%n"
        + "|---|---|---:|---:|---:|---:|---|%n");
    for (int i = 0; i < times.size(); i++) {
      InferenceCase.Engine e = c.engines().get(i);
      Timing t = times.get(i);
      Timing int8 = int8On(c, times, e.graph());
      String best = int8 == null ? "-" : String.format("%.2fx", t.bestSeconds() / int8.bestSeconds());
      String median = int8 == null ? "-" : String.format("%.2fx", t.medianSeconds() / int8.medianSeconds());
      System.out.printf("| %s | %s | %.4f | %.4f | %s | %s | %s |%n", e.name(), e.graph(), t.bestSeconds(),
          t.medianSeconds(), best, median, e.kernels());
    }
    InferenceCase.ModelSizes s = c.sizes();
    System.out.printf("%nmodel files: INT8 .dq8 %,d bytes; FP32 DL4J zip %,d bytes (%.2fx the .dq8); "
        + "raw float32 parameters %,d bytes (%.2fx)%n", s.dq8(), s.dl4jZip(),
        (double) s.dl4jZip() / s.dq8(), s.rawFloat32(), (double) s.rawFloat32() / s.dq8());
    System.out.println("(int8 speed-up = the row's time / the int8 engine's time on the same graph)");
  }

  /** /proc/loadavg, so a reader can tell a loaded machine's numbers from an idle one's. */
  private static String loadAverage() {
    try {
      return java.nio.file.Files.readString(Paths.get("/proc/loadavg")).trim();
    } catch (java.io.IOException | RuntimeException e) {
      return "unknown";
    }
  }

  private static Timing int8On(InferenceCase c, List<Timing> times, String graph) {
    for (int i = 0; i < times.size(); i++) {
      InferenceCase.Engine e = c.engines().get(i);
      if (e.name().equals("int8") && e.graph().equals(graph)) {
        return times.get(i);
      }
    }
    return null;
  }
}
