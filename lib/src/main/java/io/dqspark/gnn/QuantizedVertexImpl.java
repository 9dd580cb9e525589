package io.dqspark.gnn;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.deeplearning4j.nn.api.TrainingConfig;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * What every hand-written GNN vertex shares with DL4J: the {@link GraphInputs} convention and its
 * checks, running forward and backward outside DL4J's workspaces (intermediates are kept from one
 * to the other) and copying only results into the workspaces DL4J asks for, the epsilons of the
 * non-feature inputs, the parameter layout (named views over the flat parameter and gradient
 * arrays, the quantizer state {@code q} last), one {@link QuantPoint} per quantization point with
 * their {@link QuantState}, and the state's "gradient", which is never divided by the minibatch
 * size. Subclasses write the maths.
 *
 * @param <C> what backward needs from the last training forward
 * @param <P> the vertex's quantization points
 */
abstract class QuantizedVertexImpl<C, P extends Enum<P>> extends PlainGraphVertex {
  public static final String STATE_KEY = "q";

  private final TrainingConfig trainingConfig;
  private final INDArray params;
  private final String[] paramKeys;
  private final long[][] layout;
  /** Parameter views in layout order; the last is the state {@code q}. */
  protected final INDArray[] paramViews;
  /** Gradient views in the same order, set when DL4J hands over its gradient array. */
  protected INDArray[] gradViews;
  private INDArray gradients;
  private final QuantMode mode;
  private final QuantPoint[] points;
  private final QuantState quantState;
  /** Set by a training forward, read by backward; null after an inference forward. */
  protected C last;

  /**
   * @param paramKeys parameter names in layout order, ending with {@link #STATE_KEY}
   * @param layout the shape of each parameter (a one-element shape stays a vector)
   * @param signed which points quantize signed values
   */
  QuantizedVertexImpl(ComputationGraph graph, String name, int index, DataType dataType,
      QuantizedGraphVertex<?> conf, TrainingConfig trainingConfig, INDArray paramsView,
      String[] paramKeys, long[][] layout, P[] pointValues, Predicate<P> signed) {
    super(graph, name, index, dataType);
    this.trainingConfig = trainingConfig;
    this.params = paramsView;
    this.paramKeys = paramKeys;
    this.layout = layout;
    this.paramViews = splitLayout(paramsView);
    this.mode = conf.getMode();
    this.points = new QuantPoint[pointValues.length];
    for (P p : pointValues) {
      points[p.ordinal()] = new QuantPoint(name + "." + p.name().toLowerCase(),
          conf.getMode(), conf.getBits(), signed.test(p), conf.isPassThrough());
    }
    this.quantState = new QuantState(points, conf.getMode(), conf.getMaskSeed());
  }

  /** Views of a flat array in layout order; its length must be exactly the layout's. */
  private INDArray[] splitLayout(INDArray flatView) {
    long expected = 0;
    for (long[] shape : layout) {
      expected += Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    }
    if (flatView == null || flatView.length() != expected) {
      throw new IllegalArgumentException("vertex '" + vertexName + "' expects " + expected
          + " parameters, got " + (flatView == null ? "none" : flatView.length()));
    }
    INDArray flat = flatView.reshape(flatView.length());
    INDArray[] views = new INDArray[layout.length];
    long at = 0;
    for (int i = 0; i < layout.length; i++) {
      long len = Arrays.stream(layout[i]).reduce(1, (a, b) -> a * b);
      INDArray part = flat.get(NDArrayIndex.interval(at, at + len));
      views[i] = layout[i].length == 1 ? part : part.reshape('c', layout[i]);
      at += len;
    }
    return views;
  }

  /** The quantization point {@code p} of this layer (ranges, parameters; for tests and export). */
  public QuantPoint quantPoint(P p) {
    return points[p.ordinal()];
  }

  /** Rejects a size below 1, naming the vertex and the parameter. */
  protected static void checkSize(String vertex, String parameter, int value) {
    if (value < 1) {
      throw new IllegalArgumentException("vertex '" + vertex + "': " + parameter + " must be >= 1, got "
          + value);
    }
  }

  /** Rejects a dropout rate outside [0, 1), naming the vertex and the parameter. */
  protected static void checkProbability(String vertex, String parameter, double value) {
    if (!(value >= 0 && value < 1)) {
      throw new IllegalArgumentException("vertex '" + vertex + "': " + parameter
          + " must be in [0, 1), got " + value);
    }
  }

  /** Draws U(-bound, bound) into the view. */
  protected static void uniform(INDArray view, double bound) {
    Nd4j.rand(view);
    view.muli(2 * bound).subi(bound);
  }

  /** Glorot uniform: U(-a, a) with {@code a = sqrt(6 / (fanIn + fanOut))}. */
  protected static void glorot(INDArray view, long fanIn, long fanOut) {
    uniform(view, Math.sqrt(6.0 / (fanIn + fanOut)));
  }

  /**
   * Inverted dropout's multipliers for {@code x} (0, or {@code 1 / (1 - p)} for kept values); null
   * outside training or without dropout. Backward multiplies the input gradient by the same mask.
   */
  protected INDArray dropoutMask(INDArray x, double p, boolean training) {
    if (!training || p <= 0) {
      return null;
    }
    double keep = 1 - p;
    return Nd4j.rand(dataType, x.shape()).lt(keep).castTo(dataType).divi(keep);
  }

  /** A message's protection follows its source node; null when nothing is protected. */
  protected static boolean[] bySource(boolean[] protectedNodes, int[] src, int edges) {
    if (protectedNodes == null) {
      return null;
    }
    boolean[] out = new boolean[edges];
    for (int e = 0; e < edges; e++) {
      out[e] = protectedNodes[src[e]];
    }
    return out;
  }

  /** Loads every point's range from the parameters (after training or loading a checkpoint). */
  public void loadQuantState() {
    quantState.begin(state());
  }

  /** How this vertex quantizes (decides how replicas' ranges merge, see {@link QuantStateMerge}). */
  QuantMode mode() {
    return mode;
  }

  /** The quantizer state {@code q}. */
  protected INDArray state() {
    return paramViews[paramViews.length - 1];
  }

  protected QuantState quantState() {
    return quantState;
  }

  /** Loads the ranges and draws this step's protection mask (null outside DQ training). */
  protected boolean[] beginForward(int n, boolean training) {
    quantState.begin(state());
    return quantState.protectedNodes(inputs[2], graphKey(), n, training);
  }

  /** The graph key of the example's header (the trainer's step key: it names the part). */
  protected long graphKey() {
    return (long) inputs[1].getDouble(2);
  }

  /** Fake-quantizes {@code a} (rows of {@code cols}) at {@code p}, skipping protected rows. */
  protected INDArray quantize(P p, INDArray a, int cols, boolean[] protect, boolean training) {
    QuantPoint q = points[p.ordinal()];
    if (!q.tracks()) {
      return a;
    }
    double[] v = NdArrays.toDouble(a);
    q.forward(v, cols, protect, training);
    return q.quantizes() ? NdArrays.fromDouble(v, dataType, a.shape()) : a;
  }

  /** A parameter's gradient through its quantizer: DQ's clip-aware rule, or unchanged. */
  protected INDArray straightThrough(P p, INDArray g) {
    QuantPoint q = points[p.ordinal()];
    if (!q.quantizes() || mode != QuantMode.DQ) {
      return g;
    }
    double[] v = NdArrays.toDouble(g);
    q.backward(v);
    return NdArrays.fromDouble(v, dataType, g.shape());
  }

  /** Writes the state's new value as its "gradient" (old - new; see {@link QuantState}). */
  protected void writeStateGradient() {
    quantState.writeGradient(gradViews[gradViews.length - 1], dataType);
  }

  /**
   * Whether the features come from a network input, directly or through layers without parameters
   * (dropout), so that DL4J computes their epsilon and then discards it: the first layer then skips
   * the {@code [N, nIn]} input gradient (on Cora a 2708 x 1433 product, its quantizer's mask and
   * the dropout mask; for GIN the {@code [E, nIn]} message gradient).
   */
  protected boolean featuresFromNetworkInput() {
    if (graph == null || inputVertices == null || inputVertices.length == 0) {
      return false;
    }
    org.deeplearning4j.nn.graph.vertex.GraphVertex[] all = graph.getVertices();
    org.deeplearning4j.nn.graph.vertex.GraphVertex v = all[inputVertices[0].getVertexIndex()];
    while (!v.isInputVertex() && v.hasLayer() && v.numParams() == 0
        && v.getInputVertices() != null && v.getInputVertices().length == 1) {
      v = all[v.getInputVertices()[0].getVertexIndex()];
    }
    return v.isInputVertex();
  }

  /** The layer's output for {@code inputs}; sets {@link #last} when training. */
  protected abstract INDArray forward(boolean training);

  /** Fills the gradient views and returns the epsilon of the features input. */
  protected abstract INDArray backward(C cache);

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
    INDArray[] epsilons = inputEpsilons(epsX, workspaceMgr);
    Gradient gradient = new DefaultGradient(gradients);
    for (int i = 0; i < paramKeys.length; i++) {
      gradient.setGradientFor(paramKeys[i], gradViews[i]);
    }
    return new Pair<>(gradient, epsilons);
  }

  /**
   * The epsilons of every vertex input, in the workspace DL4J asks for, given the first input's
   * ({@code epsX}, from {@link #backward}). This default is the four-input {@link GraphInputs}
   * convention; a vertex with other inputs (e.g. a single dense input) overrides it.
   */
  protected INDArray[] inputEpsilons(INDArray epsX, LayerWorkspaceMgr workspaceMgr) {
    INDArray header = inputs[1];
    INDArray maskProb = inputs[2];
    INDArray[] epsilons = new INDArray[GraphInputs.COUNT];
    epsilons[0] = workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, epsX);
    // Header and mask_prob get zeros: DL4J mis-assigns epsilons after a null one, so only the
    // last input (the edge index) may have none.
    epsilons[1] = workspaceMgr.create(ArrayType.ACTIVATION_GRAD, header.dataType(), header.shape());
    epsilons[2] = workspaceMgr.create(ArrayType.ACTIVATION_GRAD, maskProb.dataType(), maskProb.shape());
    epsilons[3] = null;
    return epsilons;
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
  public void setBackpropGradientsViewArray(INDArray backpropGradientsViewArray) {
    gradViews = splitLayout(backpropGradientsViewArray);
    gradients = backpropGradientsViewArray;
  }

  @Override
  public Map<String, INDArray> paramTable(boolean backpropOnly) {
    Map<String, INDArray> table = new LinkedHashMap<>();
    for (int i = 0; i < paramKeys.length; i++) {
      table.put(paramKeys[i], paramViews[i]);
    }
    return table;
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
  public void clear() {
    super.clear();
    last = null;
  }
}
