package io.dqspark.gnn;

import io.dqspark.quant.EmaMinMaxTracker;
import io.dqspark.quant.PercentileRangeTracker;
import io.dqspark.quant.RangeTracker;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Merges the quantizer state {@code q} of data-parallel replicas of one network. Parameter
 * averaging averages {@code q} like a weight, which is right for the plain-QAT baseline's moving
 * averages but not for Degree-Quant's ranges, which are a running min of low and max of high
 * percentiles: their merge is the min/max over the replicas (design §7). Batch and step counters
 * take the largest replica's count, so a merge of identical replicas returns that replica's state
 * and counters do not compound over rounds.
 */
public final class QuantStateMerge {
  /** One vertex's {@code q}: where it sits in the flat parameter vector and how it merges. */
  private record Slot(String vertex, long offset, int length, QuantMode mode) {}

  private final List<Slot> slots;
  private final long numParams;

  private QuantStateMerge(List<Slot> slots, long numParams) {
    this.slots = slots;
    this.numParams = numParams;
  }

  /** Finds every quantized vertex's state in {@code net}'s flat parameters. */
  public static QuantStateMerge of(ComputationGraph net) {
    INDArray params = net.params();
    INDArray flat = params.reshape(params.length());
    List<Slot> slots = new ArrayList<>();
    for (GraphVertex v : net.getVertices()) {
      if (!(v instanceof QuantizedVertexImpl<?, ?> q) || q.mode() == QuantMode.FP32) {
        continue;
      }
      INDArray state = q.state();
      long offset = state.offset() - params.offset();
      int length = Math.toIntExact(state.length());
      if (offset < 0 || offset + length > flat.length()
          || !flat.get(NDArrayIndex.interval(offset, offset + length)).equals(state.reshape(length))) {
        throw new IllegalStateException("vertex '" + v.getVertexName()
            + "': its state is not a view of the network's flat parameters");
      }
      slots.add(new Slot(v.getVertexName(), offset, length, q.mode()));
    }
    return new QuantStateMerge(slots, flat.length());
  }

  /** Whether the network has any quantizer state to merge (false for FP32 networks). */
  public boolean isEmpty() {
    return slots.isEmpty();
  }

  /**
   * Where the states sit in the flat parameter vector, as {@code {offset, length}} pairs: small and
   * serializable, for {@link #extract} on the executors.
   */
  public long[][] ranges() {
    long[][] r = new long[slots.size()][];
    for (int s = 0; s < slots.size(); s++) {
      r[s] = new long[] {slots.get(s).offset, slots.get(s).length};
    }
    return r;
  }

  /** One replica's states, concatenated in slot order, copied out of its flat parameters. */
  public static double[] extract(INDArray params, long[][] ranges) {
    INDArray flat = params.reshape(params.length());
    int total = 0;
    for (long[] r : ranges) {
      total += (int) r[1];
    }
    double[] out = new double[total];
    int at = 0;
    for (long[] r : ranges) {
      double[] part = flat.get(NDArrayIndex.interval(r[0], r[0] + r[1])).toDoubleVector();
      System.arraycopy(part, 0, out, at, part.length);
      at += part.length;
    }
    return out;
  }

  /** The merged states (concatenated in slot order) of replicas' {@link #extract}ed states. */
  public double[] merge(List<double[]> replicas) {
    if (replicas.isEmpty()) {
      throw new IllegalArgumentException("no replica to merge");
    }
    int total = 0;
    for (Slot slot : slots) {
      total += slot.length;
    }
    for (double[] r : replicas) {
      if (r.length != total) {
        throw new IllegalArgumentException("a replica has " + r.length + " state values, the network "
            + total);
      }
    }
    double[] merged = new double[total];
    int at = 0;
    for (Slot slot : slots) {
      double[] m = mergeSlot(slot, at, replicas);
      System.arraycopy(m, 0, merged, at, m.length);
      at += slot.length;
    }
    return merged;
  }

  /** Writes {@link #merge}'s result into {@code params} (the network's flat parameters). */
  public void mergeInto(INDArray params, List<double[]> replicas) {
    double[] merged = merge(replicas);
    INDArray flat = params.reshape(params.length());
    int at = 0;
    for (Slot slot : slots) {
      double[] m = java.util.Arrays.copyOfRange(merged, at, at + slot.length);
      flat.get(NDArrayIndex.interval(slot.offset, slot.offset + slot.length))
          .assign(NdArrays.fromDouble(m, params.dataType(), slot.length));
      at += slot.length;
    }
  }

  private static double[] mergeSlot(Slot slot, int base, List<double[]> replicas) {
    double[] out = new double[slot.length];
    for (double[] r : replicas) {
      out[0] = Math.max(out[0], Math.rint(r[base])); // the step counter that seeds DQ's masks
    }
    int points = (slot.length - 1) / RangeTracker.STATE_LENGTH;
    for (int p = 0; p < points; p++) {
      int at = 1 + p * RangeTracker.STATE_LENGTH;
      List<double[]> states = new ArrayList<>(replicas.size());
      long batches = 0;
      for (double[] r : replicas) {
        // averaging in float can leave a counter a hair off a whole number; states here are raw
        double[] s = {Math.rint(r[base + at]), r[base + at + 1], r[base + at + 2]};
        batches = Math.max(batches, (long) s[0]);
        states.add(s);
      }
      double[][] all = states.toArray(new double[0][]);
      double[] m = slot.mode == QuantMode.DQ
          ? PercentileRangeTracker.merge(all)
          : EmaMinMaxTracker.merge(all);
      out[at] = batches;
      out[at + 1] = batches == 0 ? 0 : m[1];
      out[at + 2] = batches == 0 ? 0 : m[2];
    }
    return out;
  }
}
