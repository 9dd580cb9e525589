package io.dqspark.gnn;

import java.util.Objects;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Configuration of a global pooling readout: node rows {@code [N, F]} to one row per graph {@code
 * [G, F]}, summing or averaging the rows of each graph of a packed batch ({@link GraphBatch}).
 *
 * <p>Vertex inputs, in order: node features {@code [N, F]} and {@code nodeGraph [N, 1]}, each
 * row's graph position {@code 0..G-1} ({@link GraphInputs#NODE_GRAPH}); {@code G} is the largest
 * position plus one, and a position with no rows pools to a zero row. No parameters and no
 * quantizer: sum and mean of values already on a grid need no range of their own here, and the
 * next quantized layer quantizes its input. A bean with a no-arg constructor, so DL4J's JSON
 * mapping round trips it.
 */
public class PoolVertex extends GraphVertex {
  /** How the rows of one graph combine. */
  public enum Pooling {
    SUM,
    MEAN
  }

  private Pooling pooling = Pooling.MEAN;

  public PoolVertex() {}

  public PoolVertex(Pooling pooling) {
    setPooling(pooling);
  }

  public Pooling getPooling() { return pooling; }
  public void setPooling(Pooling pooling) { this.pooling = Objects.requireNonNull(pooling, "pooling"); }

  @Override
  public PoolVertex clone() {
    return new PoolVertex(pooling);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PoolVertex && ((PoolVertex) o).pooling == pooling;
  }

  @Override
  public int hashCode() {
    return Objects.hash(PoolVertex.class, pooling);
  }

  @Override
  public long numParams(boolean backprop) {
    return 0;
  }

  @Override
  public int minVertexInputs() {
    return 2;
  }

  @Override
  public int maxVertexInputs() {
    return 2;
  }

  @Override
  public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph,
      String name, int idx, INDArray paramsView, boolean initializeParams, DataType dataType) {
    return new PoolVertexImpl(graph, name, idx, pooling, dataType);
  }

  /** The features' type: pooling keeps the row width. */
  @Override
  public InputType getOutputType(int layerIndex, InputType... vertexInputs) {
    if (vertexInputs.length != 2) {
      throw new IllegalArgumentException("PoolVertex takes 2 inputs (features, nodeGraph), got "
          + vertexInputs.length);
    }
    return vertexInputs[0];
  }

  @Override
  public MemoryReport getMemoryReport(InputType... inputTypes) {
    InputType in = inputTypes.length > 0 ? inputTypes[0] : null;
    return new LayerMemoryReport.Builder(null, PoolVertex.class, in, in)
        .standardMemory(0, 0)
        .workingMemory(0, 0, 0, 0)
        .cacheMemory(0, 0)
        .build();
  }

  @Override
  public String toString() {
    return "PoolVertex(" + pooling + ")";
  }
}
