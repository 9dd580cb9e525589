package io.dqspark.loaders;

import io.dqspark.util.DqInputException;
import io.dqspark.util.HadoopFiles;
import org.apache.hadoop.fs.Path;

/**
 * Builds TU node features the way PyG's {@code TUDataset} does: the attribute columns, then one
 * one-hot block per node-label column, each over {@code min..max} of that column. Either part
 * may be absent; with neither, rows have width 0.
 */
final class TuFeatures {
  private TuFeatures() {}

  static float[][] read(HadoopFiles files, Path base, String prefix, int numNodes) {
    Path attributeFile = TuLoader.file(base, prefix, "node_attributes");
    Path labelFile = TuLoader.file(base, prefix, "node_labels");
    NumericText.Floats attributes = files.exists(attributeFile)
        ? NumericText.readFloats(files, attributeFile, "TU node attributes") : null;
    NumericText.Ints labels = files.exists(labelFile)
        ? NumericText.readInts(files, labelFile, 0, "TU node labels") : null;
    checkRows(attributes == null ? -1 : attributes.rows(), attributeFile, numNodes);
    checkRows(labels == null ? -1 : labels.rows(), labelFile, numNodes);

    int attributeWidth = attributes == null ? 0 : attributes.cols();
    int labelCols = labels == null ? 0 : labels.cols();
    int[] min = new int[labelCols];
    int[] offset = new int[labelCols + 1];
    offset[0] = attributeWidth;
    for (int c = 0; c < labelCols; c++) {
      int lo = Integer.MAX_VALUE;
      int hi = Integer.MIN_VALUE;
      for (int i = 0; i < numNodes; i++) {
        lo = Math.min(lo, labels.get(i, c));
        hi = Math.max(hi, labels.get(i, c));
      }
      long classes = (long) hi - lo + 1;
      if (classes > TuLoader.MAX_ONE_HOT) {
        throw new DqInputException(labelFile + ": node labels in column " + (c + 1) + " span " + lo + ".." + hi
            + ", too wide to one-hot encode (more than " + TuLoader.MAX_ONE_HOT + " classes)");
      }
      min[c] = lo;
      offset[c + 1] = offset[c] + (int) classes;
    }

    int width = offset[labelCols];
    float[][] features = new float[numNodes][];
    for (int i = 0; i < numNodes; i++) {
      float[] row = new float[width];
      if (attributes != null) {
        System.arraycopy(attributes.values(), i * attributeWidth, row, 0, attributeWidth);
      }
      for (int c = 0; c < labelCols; c++) {
        row[offset[c] + labels.get(i, c) - min[c]] = 1f;
      }
      features[i] = row;
    }
    return features;
  }

  private static void checkRows(int rows, Path file, int numNodes) {
    if (rows >= 0 && rows != numNodes) {
      throw new DqInputException(file + ": " + rows + " rows, but the graph indicator has " + numNodes
          + " nodes (one row per node expected)");
    }
  }
}
