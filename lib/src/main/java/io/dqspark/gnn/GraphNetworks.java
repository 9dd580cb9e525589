package io.dqspark.gnn;

import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * How every network of the project is put together. Networks are built with {@code
 * miniBatch(false)}: DL4J takes the minibatch size from input 0, which is the {@code [1, 3]}
 * header (one graph, or one packed batch, per example), so its usual division would be by 1
 * anyway; the loss is the sum over the labelled nodes or graphs, and L2 coefficients are scaled
 * accordingly by the callers. Graph layers take the features and then the header, {@code
 * mask_prob} and edge inputs ({@link GraphInputs}).
 */
public final class GraphNetworks {
  private GraphNetworks() {}

  /**
   * A graph builder with the network-wide settings and the given inputs. {@code init()} seeds
   * ND4J with the configuration's seed, so it is stored as {@link Nd4jSeeds#nativeSeed}.
   */
  public static GraphBuilder builder(long seed, DataType type, IUpdater updater, List<String> inputs) {
    return new NeuralNetConfiguration.Builder()
        .seed(Nd4jSeeds.nativeSeed(seed))
        .dataType(type)
        .updater(updater.clone())
        .miniBatch(false)
        .graphBuilder()
        .addInputs(inputs);
  }

  /** Adds graph layer {@code name} reading the features {@code from} plus the graph inputs. */
  public static GraphBuilder addGraphLayer(GraphBuilder b, String name, GraphVertex layer, String from) {
    return b.addVertex(name, layer, from, GraphInputs.NAMES.get(GraphInputs.HEADER),
        GraphInputs.NAMES.get(GraphInputs.MASK_PROB), GraphInputs.NAMES.get(GraphInputs.EDGES));
  }

  /** The name of the features input. */
  public static String features() {
    return GraphInputs.NAMES.get(GraphInputs.FEATURES);
  }
}
