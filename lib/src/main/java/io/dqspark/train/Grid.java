package io.dqspark.train;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The architectures and variants of a reproduction: every precision x method pair, with FP32
 * listed once whatever the methods (it has none).
 */
public record Grid(List<Architecture> archs, List<Variant> variants) {

  public static Grid of(List<String> archs, List<String> precisions, List<String> methods) {
    if (archs.isEmpty() || precisions.isEmpty()) {
      throw new IllegalArgumentException("--arch and --precision need at least one value");
    }
    List<Architecture> a = new ArrayList<>();
    for (String s : archs) {
      a.add(Architecture.parse(s));
    }
    Set<Variant> v = new LinkedHashSet<>();
    for (String p : precisions) {
      if (p.trim().equalsIgnoreCase("fp32")) {
        v.add(Variant.FP32);
        continue;
      }
      if (methods.isEmpty()) {
        throw new IllegalArgumentException("precision " + p + " needs --method qat and/or dq");
      }
      for (String m : methods) {
        v.add(Variant.of(p, m));
      }
    }
    return new Grid(List.copyOf(new LinkedHashSet<>(a)), List.copyOf(v));
  }
}
