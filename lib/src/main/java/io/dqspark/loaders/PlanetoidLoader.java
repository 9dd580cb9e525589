package io.dqspark.loaders;

import io.dqspark.graph.EdgeRules;
import io.dqspark.graph.EdgeTable;
import io.dqspark.graph.GraphDataset;
import io.dqspark.graph.GraphLevel;
import io.dqspark.graph.Split;
import io.dqspark.graph.VertexTable;
import io.dqspark.loaders.planetoid.Adjacency;
import io.dqspark.loaders.planetoid.NodeOrder;
import io.dqspark.loaders.planetoid.PickleReader;
import io.dqspark.loaders.planetoid.RowMatrix;
import io.dqspark.loaders.planetoid.TestIndex;
import io.dqspark.util.DqInputException;
import io.dqspark.util.HadoopFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

/**
 * Reads a Planetoid citation dataset (Cora, Citeseer, Pubmed) from the original
 * {@code ind.NAME.{x,y,tx,ty,allx,ally,graph,test.index}} files, on any Hadoop file system, into
 * the node-level canonical tables, matching what PyTorch Geometric's {@code Planetoid} gives:
 * <ul>
 *   <li>nodes {@code 0..N-1}: first the allx/ally rows, then the test nodes, where test node
 *       {@code test_index[i]} takes tx/ty row {@code i} (see {@link NodeOrder});</li>
 *   <li>features {@code vstack(allx, tx)} densified (repeated CSR entries summed), labels the
 *       argmax of the one-hot rows of {@code vstack(ally, ty)}, {@code numClasses} the width of ally;</li>
 *   <li>the standard public split: train = the first {@code |y|} nodes, val = the next 500,
 *       test = the nodes in test.index, no split for the rest;</li>
 *   <li>edges: every adjacency-list link in both directions, then {@link EdgeRules#clean}
 *       (self-loops and repeats dropped and counted, sorted), as PyG's {@code coalesce} does.</li>
 * </ul>
 *
 * <p>Deliberate differences from PyG, where PyG's answer is an accident of its code:
 * <ul>
 *   <li>Gap nodes (test indices skipped inside {@code min..max} of test.index, e.g. 15 in
 *       Citeseer) get zero features as in PyG, but label {@link VertexTable#NO_LABEL} and no
 *       split. PyG gives them label 0 because the argmax of an all-zero row is 0, which would
 *       silently put unlabelled nodes into class 0. PyG also handles gaps only for a dataset
 *       named Citeseer; here any dataset may have them.</li>
 *   <li>A one-hot row with no positive entry (an unlabelled node in the source) gets
 *       {@code NO_LABEL} rather than 0, for the same reason; its split is kept.</li>
 *   <li>Val stops at the last allx node: for the real datasets {@code |y| + 500 <= |allx|}, so
 *       nothing changes; for smaller inputs PyG's val mask would run into test nodes or past N.</li>
 * </ul>
 *
 * <p>{@code ind.NAME.x} and {@code ind.NAME.y} only fix the train size and are checked for
 * consistency; PyG ignores their contents too. Every problem with the input (missing file,
 * unreadable pickle, wrong type or shape, row counts that disagree, a bad test.index line,
 * out-of-range adjacency ids, non-finite features) is a {@link DqInputException} naming the file.
 * Pickles are read with a restricted Pyrolite unpickler ({@link PickleReader}); Java
 * serialization is never involved.
 */
public final class PlanetoidLoader {
  /** Size of the public validation split. */
  static final int VAL_SIZE = 500;

  private static final List<String> PICKLES = List.of("x", "y", "tx", "ty", "allx", "ally", "graph");

  private PlanetoidLoader() {}

  /**
   * Loads one Planetoid dataset.
   *
   * @param files how to reach the file system of {@code dir}
   * @param dir the directory holding the {@code ind.NAME.*} files (any Hadoop FS URI or path)
   * @param name the dataset name NAME; null to take it from the one {@code ind.*.x} file in dir.
   *     When {@code ind.NAME.x} is absent but its lower-case form exists, that is used (PyG's
   *     "Cora" is stored as {@code ind.cora.*}).
   * @param rules the edge cleaning switches; null for {@link EdgeRules.Options#DEFAULT}. With
   *     {@code dropUnknown}, adjacency ids outside {@code 0..N-1} are dropped and counted
   *     instead of failing.
   */
  public static GraphDataset load(HadoopFiles files, String dir, String name, EdgeRules.Options rules) {
    Objects.requireNonNull(files, "files");
    Objects.requireNonNull(dir, "dir");
    EdgeRules.Options options = rules == null ? EdgeRules.Options.DEFAULT : rules;
    Path base = new Path(dir);
    files.requireDirectory(base, "Planetoid directory");
    String ds = name == null ? inferName(files, base) : resolveName(files, base, name);
    String what = "Planetoid dataset '" + ds + "'";

    Object[] pickled = new Object[PICKLES.size()];
    for (int i = 0; i < pickled.length; i++) {
      Path p = file(base, ds, PICKLES.get(i));
      pickled[i] = PickleReader.read(files.readAll(p, what), p.toString());
    }
    Part x = part(base, ds, "x", pickled[0]);
    Part y = part(base, ds, "y", pickled[1]);
    Part tx = part(base, ds, "tx", pickled[2]);
    Part ty = part(base, ds, "ty", pickled[3]);
    Part allx = part(base, ds, "allx", pickled[4]);
    Part ally = part(base, ds, "ally", pickled[5]);
    Path testPath = file(base, ds, "test.index");
    TestIndex test = readTestIndex(files, testPath, what);
    checkShapes(x, y, tx, ty, allx, ally, test, testPath);

    NodeOrder order = NodeOrder.of(allx.rows(), test, testPath.toString());
    VertexTable vertices = vertices(order, y.rows(), allx, tx, ally, ty);
    String graphFile = file(base, ds, "graph").toString();
    EdgeTable raw = Adjacency.symmetrised(pickled[6], order.numNodes(), options.dropUnknown(), graphFile);
    EdgeRules.Result cleaned = EdgeRules.clean(raw, vertices, options, graphFile);
    return new GraphDataset(ds, GraphLevel.NODE, ally.cols(), vertices, cleaned.edges(), null,
        cleaned.counts());
  }

  /** One unpickled matrix and the file it came from (for error messages). */
  private record Part(String file, RowMatrix m) {
    int rows() { return m.rows(); }
    int cols() { return m.cols(); }
  }

  private static Part part(Path base, String ds, String suffix, Object pickled) {
    String f = file(base, ds, suffix).toString();
    return new Part(f, RowMatrix.of(pickled, f));
  }

  private static Path file(Path base, String ds, String suffix) {
    return new Path(base, "ind." + ds + "." + suffix);
  }

  private static TestIndex readTestIndex(HadoopFiles files, Path path, String what) {
    try (BufferedReader in = files.openText(path, what)) {
      return TestIndex.parse(in, path.toString());
    } catch (IOException e) {
      throw new DqInputException(what + ": cannot read " + path + ": " + e.getMessage(), e);
    }
  }

  private static void checkShapes(Part x, Part y, Part tx, Part ty, Part allx, Part ally,
      TestIndex test, Path testPath) {
    sameCols(tx, allx, "features");
    sameCols(x, allx, "features");
    sameCols(ty, ally, "classes");
    sameCols(y, ally, "classes");
    sameRows(ally, allx);
    sameRows(ty, tx);
    sameRows(y, x);
    if (ally.cols() < 1) {
      throw new DqInputException(ally.file() + ": has no columns, so there are no classes");
    }
    if (y.rows() > allx.rows()) {
      throw new DqInputException(y.file() + ": has " + y.rows() + " training rows, more than the "
          + allx.rows() + " rows of " + allx.file());
    }
    if (tx.rows() != test.size()) {
      throw new DqInputException(tx.file() + ": has " + tx.rows() + " rows but " + testPath
          + " lists " + test.size() + " test nodes; they must match one to one");
    }
  }

  private static void sameCols(Part a, Part reference, String what) {
    if (a.cols() != reference.cols()) {
      throw new DqInputException(a.file() + ": has " + a.cols() + " columns (" + what + ") but "
          + reference.file() + " has " + reference.cols());
    }
  }

  private static void sameRows(Part a, Part reference) {
    if (a.rows() != reference.rows()) {
      throw new DqInputException(a.file() + ": has " + a.rows() + " rows but " + reference.file()
          + " has " + reference.rows() + "; they describe the same nodes");
    }
  }

  private static VertexTable vertices(NodeOrder order, int trainSize, Part allx, Part tx, Part ally, Part ty) {
    int n = order.numNodes();
    int a = allx.rows();
    long[] ids = new long[n];
    float[][] features = new float[n][];
    int[] labels = new int[n];
    Split[] splits = new Split[n];
    float[] oneHot = new float[ally.cols()];
    for (int v = 0; v < n; v++) {
      ids[v] = v;
      features[v] = new float[allx.cols()];
      int row = order.row(v);
      if (row == NodeOrder.GAP) {
        labels[v] = VertexTable.NO_LABEL;
        continue;
      }
      boolean isTest = row >= a;
      int r = isTest ? row - a : row;
      Part fx = isTest ? tx : allx;
      fx.m().readRow(r, features[v]);
      requireFinite(features[v], fx.file(), r);
      Part fy = isTest ? ty : ally;
      fy.m().readRow(r, oneHot);
      labels[v] = label(oneHot, fy.file(), r);
      splits[v] = isTest ? Split.TEST : v < trainSize ? Split.TRAIN
          : v < trainSize + VAL_SIZE ? Split.VAL : null;
    }
    return new VertexTable(new long[n], ids, features, labels, splits);
  }

  private static void requireFinite(float[] row, String file, int r) {
    for (int c = 0; c < row.length; c++) {
      if (!Float.isFinite(row[c])) {
        throw new DqInputException(file + ": row " + r + ", column " + c + " is " + row[c]
            + "; features must be finite numbers");
      }
    }
  }

  /** The index of the first largest entry of a one-hot row, or NO_LABEL when none is positive. */
  private static int label(float[] oneHot, String file, int r) {
    int best = VertexTable.NO_LABEL;
    float max = 0f;
    for (int c = 0; c < oneHot.length; c++) {
      if (!Float.isFinite(oneHot[c])) {
        throw new DqInputException(file + ": row " + r + ", column " + c + " is " + oneHot[c]
            + "; a one-hot label row must hold finite numbers");
      }
      if (oneHot[c] > max) {
        max = oneHot[c];
        best = c;
      }
    }
    return best;
  }

  private static String resolveName(HadoopFiles files, Path base, String name) {
    if (name.isEmpty() || name.contains("/")) {
      throw new DqInputException("Planetoid dataset name '" + name + "' is not a file name part");
    }
    String lower = name.toLowerCase(Locale.ROOT);
    if (!lower.equals(name) && !files.exists(file(base, name, "x")) && files.exists(file(base, lower, "x"))) {
      return lower;
    }
    return name;
  }

  /** The NAME of the single {@code ind.NAME.x} file in the directory. */
  static String inferName(HadoopFiles files, Path base) {
    FileStatus[] listing;
    try {
      listing = files.fileSystem(base).listStatus(base);
    } catch (IOException e) {
      throw new DqInputException("Planetoid directory: cannot list " + base + ": " + e.getMessage(), e);
    }
    List<String> names = new ArrayList<>();
    for (FileStatus s : listing) {
      String f = s.getPath().getName();
      if (s.isFile() && f.startsWith("ind.") && f.endsWith(".x") && f.length() > "ind..x".length()) {
        names.add(f.substring("ind.".length(), f.length() - ".x".length()));
      }
    }
    names.sort(null);
    if (names.isEmpty()) {
      throw new DqInputException(base + ": no ind.NAME.x file, so this is not a Planetoid directory"
          + " (expected ind.NAME.{x,y,tx,ty,allx,ally,graph,test.index})");
    }
    if (names.size() > 1) {
      throw new DqInputException(base + ": holds several Planetoid datasets " + names
          + "; pass the dataset name");
    }
    return names.get(0);
  }
}
