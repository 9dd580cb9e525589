/** Small shared pieces: input errors, Hadoop file access, JSON. */
package io.dqspark.util;
