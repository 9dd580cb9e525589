package io.dqspark.model;

import java.util.Map;

/**
 * An integer-only model as stored in a {@code .dq8} file: one of three architectures, each a type
 * that holds only its own pieces and checks in its constructor that they fit together (widths, and
 * every multiplier that spans two layers against both layers' scales).
 * <ul>
 *   <li>{@link GcnModel} (node task): a chain of {@link GcnLayer}s whose last outputs are the logits.
 *   <li>{@link GinModel}: a chain of {@link GinLayer}s; for the graph task then a {@link
 *       GraphReadout} and one or more {@link DenseLayer}s; always an {@link OutputHead} last.
 *   <li>{@link GatModel} (node task): a chain of {@link GatLayer}s whose last outputs are the logits.
 * </ul>
 * The architecture is the type, so that no caller branches on a name or on which layers are
 * present: what differs between architectures (the engine, the arithmetic rule) is a method here.
 * Sealed, so that the file reader and writer, the one place that maps names to types, know every
 * case.
 */
public sealed interface QuantizedModel permits GcnModel, GinModel, GatModel {
  /** {@link #architecture()} names, as the model file and the manifest spell them. */
  String GCN = "gcn";
  String GIN = "gin";
  String GAT = "gat";
  int MAX_LAYERS = 1024;
  int MAX_CLASSES = 65535;

  /**
   * The architecture's name ({@link #GCN}, {@link #GIN} or {@link #GAT}) for the model file, the
   * manifest and logs; code that needs to tell architectures apart uses the type.
   */
  String architecture();

  ModelTask task();

  /** Free-form provenance, insertion order kept (the file keeps it, and equality compares it). */
  Map<String, String> provenance();

  /** Number of message-passing layers (the file's layer count). */
  int layerCount();

  int inputWidth();

  int classes();

  /** This model with one more provenance entry (or {@code key} replaced): the layers are shared. */
  QuantizedModel withProvenance(String key, String value);

  /**
   * The arithmetic this architecture's rule picks for this model, without a system property or a
   * measured choice ({@link Arithmetic#byArchitecture} gives the rules).
   */
  Arithmetic architectureRule();

  /** This model's integer engine in its default arithmetic ({@link Arithmetic#defaultFor}). */
  IntegerScorer scorer();

  /** This model's integer engine in {@code arithmetic}. */
  IntegerScorer scorer(Arithmetic arithmetic);
}
