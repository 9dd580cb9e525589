/**
 * GNN layers for DL4J {@code ComputationGraph}s with Degree-Quant quantization-aware training
 * (design §4, §7).
 *
 * <p>Layers are hand-written graph vertices: a configuration class ({@link
 * io.dqspark.gnn.GcnVertex}, {@link io.dqspark.gnn.GinVertex}, {@link io.dqspark.gnn.GatVertex};
 * JSON round-trippable) and a runtime ({@link io.dqspark.gnn.GcnVertexImpl}, {@link
 * io.dqspark.gnn.GinVertexImpl}, {@link io.dqspark.gnn.GatVertexImpl}) whose forward and backward passes are written out by hand with
 * eager ND4J matrix products and flat loops for the sparse parts, because SameDiff-based vertices
 * give wrong gradients in DL4J 1.0.0-M2.
 *
 * <p>Input convention, shared by every layer here ({@link io.dqspark.gnn.GraphInputs}): network
 * input 0 is a {@code [1, 3]} header {@code (N, E, graphKey)}, input 1 the node features
 * {@code [N, F]}, input 2 Degree-Quant's protection probability {@code mask_prob} {@code [N, 1]},
 * and the last input the edge index {@code [E, 2]} of {@code (src, dst)} rows. The header makes
 * DL4J (and Spark's parameter averaging) treat one whole graph as one example; build networks
 * with {@code miniBatch(false)} so that the score and the gradient are both sums over the labelled
 * nodes (with {@code miniBatch(true)} DL4J would divide the score by N but the gradient by the
 * header's batch size of 1). Label masks must be binary.
 *
 * <p>Graph-level networks ({@link io.dqspark.gnn.GinModels#graphClassifier}) take a fifth input,
 * {@code nodeGraph [N, 1]}: {@link io.dqspark.gnn.GraphBatch} packs several graphs into one
 * example, {@link io.dqspark.gnn.PoolVertex} reads one row per graph out of the node rows, and
 * {@link io.dqspark.gnn.QuantDenseVertex} quantizes the dense head on those rows.
 *
 * <p>Quantizer ranges and the step counter that seeds the protective mask are non-trainable
 * state kept inside each vertex's parameter vector (parameter {@code q}) so that checkpoints and
 * parameter averaging carry them; see {@link io.dqspark.gnn.QuantPoint}.
 */
package io.dqspark.gnn;
