package io.dqspark.jobs.score;

import java.io.Serializable;

/**
 * What one part sends one other part (or itself) between two layers: the rows of the nodes it owns
 * that the receiver needs, back to back, {@code rowBytes} each (int8 codes: one byte per value;
 * FP32: four). The rows carry no ids: sender and receiver both order them by node id (see {@link
 * PartGraph#sendList} and {@link PartGraph#haloStart}), so a block costs its payload and one small
 * header rather than an id, a boxed key and an array header per node, as per-node records would
 * under Spark's Java serializer.
 */
record RowBlock(int from, byte[] rows) implements Serializable {}
