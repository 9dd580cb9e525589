/**
 * The integer inference kernels (design §5) and their FP32 twins, in plain Java: no ND4J, Spark
 * or DL4J, so that executors which only score load nothing else.
 *
 * <p>Every kernel has a Vector API implementation and a scalar one that gives bit-identical
 * results; {@link io.dqspark.engine.Kernels} picks one per JVM (vector when the
 * {@code jdk.incubator.vector} module is present and usable, unless {@code -Ddq.engine.scalar=true}).
 * The scalar kernels are the reference that a native (e.g. VNNI) backend must match.
 *
 * <p>Conventions: tensors are row-major {@code [rows, cols]} in one array; int8 tensors are
 * signed codes with a zero point (an unsigned quantizer's codes {@code q} with zero point
 * {@code z} are the signed codes {@code q - 128} with zero point {@code z - 128}: same scale, same
 * values); int32 arithmetic wraps as Java's does, so the vector and scalar paths agree always and
 * equal the exact result whenever it fits in int32. Kernels do not allocate in their loops (a
 * call allocates at most one scratch row) and are thread-safe: callers parallelise over rows.
 * Graphs are {@link io.dqspark.engine.CsrAdjacency}: row {@code v} lists the sources of
 * {@code v}'s in-edges, so aggregation gathers source rows into target rows.
 */
package io.dqspark.engine;
