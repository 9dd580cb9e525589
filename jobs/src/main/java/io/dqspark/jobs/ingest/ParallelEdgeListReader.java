package io.dqspark.jobs.ingest;

import static io.dqspark.jobs.common.GraphSchemas.DST;
import static io.dqspark.jobs.common.GraphSchemas.SRC;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;

import io.dqspark.graph.GraphLevel;
import io.dqspark.jobs.common.GraphSchemas;
import io.dqspark.jobs.common.SparkGraph;
import io.dqspark.loaders.EdgeListFormat;
import io.dqspark.util.DqInputException;
import io.dqspark.util.HadoopFiles;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.apache.hadoop.mapreduce.lib.input.TextInputFormat;
import org.apache.spark.api.java.JavaNewHadoopRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

/**
 * Reads an edge list file or folder in parallel (Hadoop splits files by bytes, so one large file
 * is read by many tasks) with the line rules of {@link EdgeListFormat}.
 *
 * <p>The first non-comment line of the first file may be a {@code nodes edges} header. The
 * driver reads that one line itself, the tasks skip it, and the header rule is decided after one
 * aggregation over the edges. With a header the vertices are {@code 0..nodes-1} (isolated ones
 * included); without one they are the ids that occur.
 */
public final class ParallelEdgeListReader {
  private ParallelEdgeListReader() {}

  /** The first non-comment line of the first file, if it holds two integers. */
  private record Candidate(String file, long offset, long first, long second) {}

  public static SparkGraph read(SparkSession spark, String input, String name,
      EdgeListFormat.HeaderMode mode, boolean symmetrize) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    List<Path> files = listFiles(new HadoopFiles(conf), input);
    Candidate candidate = firstLine(conf, files.get(0));
    if (mode == EdgeListFormat.HeaderMode.PRESENT && candidate == null) {
      throw new DqInputException(files.get(0) + ": --header present, but the first line is not 'nodes edges'");
    }
    long maxIdAllowed = mode == EdgeListFormat.HeaderMode.PRESENT ? candidate.first() - 1 : Long.MAX_VALUE;
    String skipFile = candidate == null ? null : candidate.file();
    long skipOffset = candidate == null ? -1 : candidate.offset();

    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    String joined = String.join(",", files.stream().map(Path::toString).toList());
    JavaNewHadoopRDD<LongWritable, Text> lines = (JavaNewHadoopRDD<LongWritable, Text>)
        jsc.newAPIHadoopFile(joined, TextInputFormat.class, LongWritable.class, Text.class, conf);
    JavaRDD<Row> rows = lines.mapPartitionsWithInputSplit(
        (split, it) -> parse(((FileSplit) split).getPath().toString(), it, skipFile, skipOffset, maxIdAllowed),
        false);
    Dataset<Row> edges = spark.createDataFrame(rows, GraphSchemas.EDGES);

    Long nodes = null;
    if (candidate != null) {
      boolean header;
      if (mode == EdgeListFormat.HeaderMode.AUTO) {
        Row agg = edges.agg(count(lit(1)), max(greatest(col(SRC), col(DST)))).first();
        long maxId = agg.isNullAt(1) ? -1 : agg.getLong(1);
        header = EdgeListFormat.isHeader(mode, candidate.first(), candidate.second(), agg.getLong(0), maxId);
      } else {
        header = mode == EdgeListFormat.HeaderMode.PRESENT;
      }
      if (header) {
        nodes = candidate.first();
      } else {
        Row edge = RowFactory.create(0L, candidate.first(), candidate.second());
        edges = spark.createDataFrame(List.of(edge), GraphSchemas.EDGES).union(edges);
      }
    }
    if (symmetrize) {
      edges = edges.union(edges.select(col(GraphSchemas.GRAPH_ID), col(DST).as(SRC), col(SRC).as(DST)));
    }
    Dataset<Row> vertexIds = nodes != null
        ? spark.range(nodes).toDF(GraphSchemas.ID)
        : edges.select(col(SRC).as(GraphSchemas.ID)).union(edges.select(col(DST))).distinct();
    Dataset<Row> vertices = CanonicalColumns.bareVertices(vertexIds);
    return new SparkGraph(name, GraphLevel.NODE, vertices, edges, null, null);
  }

  private static Iterator<Row> parse(String file, Iterator<Tuple2<LongWritable, Text>> it,
      String skipFile, long skipOffset, long maxIdAllowed) {
    return new Iterator<>() {
      private final long[] edge = new long[2];
      private Row next;

      @Override
      public boolean hasNext() {
        while (next == null && it.hasNext()) {
          Tuple2<LongWritable, Text> record = it.next();
          long offset = record._1().get();
          String line = record._2().toString();
          if (EdgeListFormat.isComment(line) || (offset == skipOffset && file.equals(skipFile))) {
            continue;
          }
          String problem = EdgeListFormat.parse(line, edge);
          if (problem == null && (edge[0] > maxIdAllowed || edge[1] > maxIdAllowed)) {
            problem = "id " + Math.max(edge[0], edge[1]) + " out of range: the header says "
                + (maxIdAllowed + 1) + " nodes (ids 0.." + maxIdAllowed + ")";
          }
          if (problem != null) {
            throw new EdgeLineError(file, offset, problem);
          }
          next = RowFactory.create(0L, edge[0], edge[1]);
        }
        return next != null;
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        Row r = next;
        next = null;
        return r;
      }
    };
  }

  /** The data files of a file or folder, in name order, without hidden or marker files. */
  static List<Path> listFiles(HadoopFiles files, String input) {
    Path path = new Path(input);
    try {
      FileSystem fs = files.fileSystem(path);
      if (!fs.exists(path)) {
        throw new DqInputException("--input " + input + ": no such file or directory");
      }
      FileStatus status = fs.getFileStatus(path);
      List<Path> out = new ArrayList<>();
      if (status.isDirectory()) {
        FileStatus[] children = fs.listStatus(path);
        Arrays.sort(children);
        for (FileStatus c : children) {
          String n = c.getPath().getName();
          if (c.isFile() && !n.startsWith("_") && !n.startsWith(".")) {
            out.add(c.getPath());
          }
        }
      } else {
        out.add(fs.makeQualified(path));
      }
      if (out.isEmpty()) {
        throw new DqInputException("--input " + input + ": the folder holds no edge list files");
      }
      return out;
    } catch (IOException e) {
      throw new DqInputException("--input " + input + ": cannot list: " + e.getMessage(), e);
    }
  }

  /** Reads lines as bytes so that offsets match TextInputFormat's keys (CRLF included). */
  private static Candidate firstLine(Configuration conf, Path file) {
    HadoopFiles files = new HadoopFiles(conf);
    try (java.io.InputStream raw = new java.io.BufferedInputStream(files.open(file, "--input"))) {
      long offset = 0;
      while (true) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        int b;
        long length = 0;
        while ((b = raw.read()) != -1 && b != '\n') {
          bytes.write(b);
          length++;
        }
        if (b == -1 && length == 0) {
          throw new DqInputException(file + ": the edge list is empty");
        }
        String line = bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
        if (!EdgeListFormat.isComment(line)) {
          long[] values = new long[2];
          if (EdgeListFormat.parse(line, values) != null) {
            return null;
          }
          return new Candidate(file.toString(), offset, values[0], values[1]);
        }
        offset += length + 1;
      }
    } catch (IOException e) {
      throw new DqInputException(file + ": cannot read: " + e.getMessage(), e);
    }
  }
}
