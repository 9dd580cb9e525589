/**
 * The partition stage: whole graphs to K balanced parts (graph-level data), or one big graph cut
 * into K balanced parts with few cut edges, each part written with its 1-hop halo.
 */
package io.dqspark.jobs.partition;
