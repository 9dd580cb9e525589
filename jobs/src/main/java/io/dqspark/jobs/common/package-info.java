/** What every job shares: the Spark session, the canonical DataFrame schemas, atomic output. */
package io.dqspark.jobs.common;
