package io.dqspark.gnn;

import java.util.Arrays;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.api.TrainingConfig;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.BaseGraphVertex;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What every hand-written GNN vertex shares with DL4J: the {@link GraphInputs} convention and its
 * checks, running forward and backward outside DL4J's workspaces (intermediates are kept from one
 * to the other) and copying only results into the workspaces DL4J asks for, the epsilons of the
 * non-feature inputs, and the quantizer state {@code q} whose "gradient" is never divided by the
 * minibatch size. Subclasses write the maths.
 *
 * @param <C> what backward needs from the last training forward
 */
abstract class QuantizedVertexImpl<C> extends BaseGraphVertex {
  public static final String STATE_KEY = "q";

  private final TrainingConfig trainingConfig;
  private final INDArray params;
  private INDArray gradients;
  /** Set by a training forward, read by backward; null after an inference forward. */
  protected C last;

  QuantizedVertexImpl(ComputationGraph graph, String name, int index, DataType dataType,
      TrainingConfig trainingConfig, INDArray paramsView) {
    super(graph, name, index, null, null, dataType);
    this.trainingConfig = trainingConfig;
    this.params = paramsView;
  }

  /** The layer's output for {@code inputs}; sets {@link #last} when training. */
  protected abstract INDArray forward(boolean training);

  /** Fills the gradient views and returns the epsilon of the features input. */
  protected abstract INDArray backward(C cache);

  /** The gradient views, named by parameter, over {@code flatGradients}. */
  protected abstract Gradient gradient(INDArray flatGradients);

  /** Splits a new flat gradient view into the per-parameter views {@link #backward} fills. */
  protected abstract void splitGradients(INDArray flatGradients);

  @Override
  public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
    if (!canDoForward()) {
      throw new IllegalStateException("vertex '" + vertexName + "': inputs not all set");
    }
    INDArray out;
    try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
      out = forward(training);
    }
    return workspaceMgr.dup(ArrayType.ACTIVATIONS, out);
  }

  @Override
  public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
    if (!canDoBackward()) {
      throw new IllegalStateException("vertex '" + vertexName + "': inputs or epsilon not set");
    }
    if (last == null) {
      throw new IllegalStateException("vertex '" + vertexName + "': backward needs a training forward first");
    }
    if (gradients == null) {
      throw new IllegalStateException("vertex '" + vertexName + "': gradient view not set");
    }
    INDArray epsX;
    try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
      epsX = backward(last);
    }
    INDArray header = inputs[1];
    INDArray maskProb = inputs[2];
    INDArray[] epsilons = new INDArray[GraphInputs.COUNT];
    epsilons[0] = workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, epsX);
    // Header and mask_prob get zeros: DL4J mis-assigns epsilons after a null one, so only the
    // last input (the edge index) may have none.
    epsilons[1] = workspaceMgr.create(ArrayType.ACTIVATION_GRAD, header.dataType(), header.shape());
    epsilons[2] = workspaceMgr.create(ArrayType.ACTIVATION_GRAD, maskProb.dataType(), maskProb.shape());
    epsilons[3] = null;
    return new Pair<>(gradient(gradients), epsilons);
  }

  /** Checks the four inputs against {@code x [N, nIn]} and returns N. */
  protected int checkInputs(INDArray x, long nIn) {
    if (inputs.length != GraphInputs.COUNT) {
      throw new IllegalStateException("vertex '" + vertexName + "' needs " + GraphInputs.COUNT
          + " inputs (features, header, mask_prob, edges), got " + inputs.length);
    }
    if (x.rank() != 2 || x.size(1) != nIn) {
      throw new IllegalArgumentException("vertex '" + vertexName + "' expects features [N, " + nIn
          + "], got " + Arrays.toString(x.shape()));
    }
    int n = Math.toIntExact(x.size(0));
    GraphInputs.checkHeader(inputs[1], n, inputs[GraphInputs.COUNT - 1].size(0), vertexName);
    if (inputs[2].length() != n) {
      throw new IllegalArgumentException("vertex '" + vertexName + "' expects mask_prob [" + n
          + ", 1], got " + Arrays.toString(inputs[2].shape()));
    }
    return n;
  }

  @Override
  public final void setBackpropGradientsViewArray(INDArray backpropGradientsViewArray) {
    splitGradients(backpropGradientsViewArray);
    gradients = backpropGradientsViewArray;
  }

  @Override
  public INDArray params() {
    return params;
  }

  @Override
  public INDArray getGradientsViewArray() {
    return gradients;
  }

  @Override
  public TrainingConfig getConfig() {
    return trainingConfig;
  }

  /** The state's "gradient" is the new value's offset, not a per-example sum: never divided. */
  @Override
  public boolean updaterDivideByMinibatch(String paramName) {
    return !STATE_KEY.equals(paramName);
  }

  @Override
  public boolean hasLayer() {
    return false;
  }

  @Override
  public org.deeplearning4j.nn.api.Layer getLayer() {
    return null;
  }

  @Override
  public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays,
      MaskState currentMaskState, int minibatchSize) {
    return new Pair<>(null, currentMaskState);
  }

  @Override
  public void clear() {
    super.clear();
    last = null;
  }
}
