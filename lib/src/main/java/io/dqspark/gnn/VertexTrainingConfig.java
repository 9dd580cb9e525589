package io.dqspark.gnn;

import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.deeplearning4j.nn.api.TrainingConfig;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.learning.regularization.Regularization;

/**
 * What DL4J's updater asks a trainable vertex: per-parameter updater and regularisation, under the
 * vertex's own name (the updater finds layers by {@link #getLayerName()}, which a vertex
 * configuration cannot know). The state parameter gets {@link NoOp} and no regularisation, so the
 * "gradient" written for it lands unchanged; gradient normalisation is off because it would
 * rescale that state too.
 */
final class VertexTrainingConfig implements TrainingConfig {
  private final String name;
  private final IUpdater updater;
  private final List<Regularization> weightRegularization;
  private final Set<String> weightParams;
  private final String stateParam;

  VertexTrainingConfig(String name, IUpdater updater, double l2, String weightParam,
      String stateParam) {
    this(name, updater, l2, Set.of(weightParam), stateParam);
  }

  /** As above, with the L2 penalty on each of {@code weightParams}. */
  VertexTrainingConfig(String name, IUpdater updater, double l2, Set<String> weightParams,
      String stateParam) {
    if (updater == null) {
      throw new IllegalStateException("vertex '" + name + "' has no updater: set it on the vertex"
          + " configuration (DL4J does not pass the global updater to graph vertices)");
    }
    this.name = name;
    this.updater = updater;
    this.weightRegularization = l2 > 0
        ? List.of(new L2Regularization(l2)) : Collections.emptyList();
    this.weightParams = Set.copyOf(weightParams);
    this.stateParam = stateParam;
  }

  @Override
  public String getLayerName() {
    return name;
  }

  @Override
  public List<Regularization> getRegularizationByParam(String paramName) {
    return weightParams.contains(paramName) ? weightRegularization : Collections.emptyList();
  }

  @Override
  public boolean isPretrainParam(String paramName) {
    return false;
  }

  @Override
  public IUpdater getUpdaterByParam(String paramName) {
    return stateParam.equals(paramName) ? new NoOp() : updater;
  }

  @Override
  public GradientNormalization getGradientNormalization() {
    return GradientNormalization.None;
  }

  @Override
  public double getGradientNormalizationThreshold() {
    return 0;
  }

  @Override
  public void setDataType(DataType dataType) {
    // parameters take the network's type when the vertex is instantiated
  }
}
