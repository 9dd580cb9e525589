package io.dqspark.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The CPU this JVM runs on: its model name and the vector extensions that decide which kernels
 * are fast and which native products are exact here (design §5), so that benchmark figures and
 * scoring logs say what machine they came from. Read once from {@code /proc/cpuinfo}; elsewhere
 * (not Linux, or unreadable) the model falls back to {@code os.arch} and the extensions are
 * "unknown".
 */
public final class CpuInfo {
  /** The flags worth naming, in the order they are printed (x86-64, then Arm). */
  static final List<String> VECTOR_FLAGS = List.of("sse4_2", "avx", "avx2", "fma", "avx_vnni",
      "avx512f", "avx512dq", "avx512bw", "avx512vl", "avx512_vnni", "avx512_bf16", "amx_int8",
      "asimd", "asimddp", "sve", "sve2");

  private static final CpuInfo THIS = read(Path.of("/proc/cpuinfo"), System.getProperty("os.arch", "unknown"));

  private final String model;
  private final List<String> extensions;

  private CpuInfo(String model, List<String> extensions) {
    this.model = model;
    this.extensions = extensions;
  }

  /** This machine's CPU, read on first use. */
  public static CpuInfo get() {
    return THIS;
  }

  /** The first {@code model name} of {@code cpuinfo}, or the architecture where there is none. */
  public String model() {
    return model;
  }

  /** The {@link #VECTOR_FLAGS} this CPU has, or null where its flags could not be read. */
  public List<String> extensions() {
    return extensions;
  }

  /** Whether the CPU reports {@code flag}; false where the flags are unknown. */
  public boolean has(String flag) {
    return extensions != null && extensions.contains(flag);
  }

  /** One line for logs and reports, e.g. {@code CPU AMD EPYC 7B13 (avx avx2 fma), 2 processors}. */
  public String summary() {
    String ext = extensions == null ? "vector extensions unknown"
        : extensions.isEmpty() ? "no vector extensions named" : String.join(" ", extensions);
    return "CPU " + model + " (" + ext + "), " + Runtime.getRuntime().availableProcessors() + " processors";
  }

  @Override
  public String toString() {
    return summary();
  }

  /** {@code cpuinfo} if it can be read, else an unknown CPU of architecture {@code arch}. */
  static CpuInfo read(Path cpuinfo, String arch) {
    try {
      return parse(Files.readAllLines(cpuinfo), arch);
    } catch (IOException | RuntimeException e) {
      return new CpuInfo("unknown (" + arch + ")", null);
    }
  }

  /**
   * The first {@code model name} and the first {@code flags} (x86) or {@code Features} (Arm) line;
   * every core repeats them.
   */
  static CpuInfo parse(List<String> lines, String arch) {
    String model = null;
    Set<String> flags = null;
    for (String line : lines) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String key = line.substring(0, colon).trim();
      String value = line.substring(colon + 1).trim();
      if (model == null && key.equals("model name") && !value.isEmpty()) {
        model = value;
      } else if (flags == null && (key.equals("flags") || key.equals("Features"))) {
        flags = Set.copyOf(Arrays.asList(value.split("\\s+")));
      }
    }
    List<String> extensions = null;
    if (flags != null) {
      extensions = new ArrayList<>();
      for (String f : VECTOR_FLAGS) {
        if (flags.contains(f)) {
          extensions.add(f);
        }
      }
    }
    return new CpuInfo(model != null ? model : "unknown (" + arch + ")",
        extensions == null ? null : List.copyOf(extensions));
  }
}
