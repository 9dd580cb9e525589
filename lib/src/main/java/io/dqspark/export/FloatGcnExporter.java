package io.dqspark.export;

import io.dqspark.gnn.GcnVertex;
import io.dqspark.gnn.GcnVertexImpl;
import io.dqspark.model.FloatGcn;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * The FP32 weights of a trained GCN network (the same chain {@link GcnExporter} accepts, in any
 * mode: a QAT/DQ network's float weights are its FP32 model) as a {@link FloatGcn}.
 */
public final class FloatGcnExporter {
  private FloatGcnExporter() {}

  public static FloatGcn export(ComputationGraph net) {
    List<FloatGcn.Layer> layers = new ArrayList<>();
    for (GcnVertexImpl v : GcnExporter.chain(net)) {
      GcnVertex conf = v.getVertexConf();
      layers.add(new FloatGcn.Layer(conf.getNIn(), conf.getNOut(), conf.isRelu(),
          ExportArrays.floats(v.paramTable(false).get(GcnVertexImpl.WEIGHT_KEY)),
          ExportArrays.floats(v.paramTable(false).get(GcnVertexImpl.BIAS_KEY))));
    }
    return new FloatGcn(layers);
  }

}
