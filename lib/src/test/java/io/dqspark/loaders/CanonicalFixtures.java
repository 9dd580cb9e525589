package io.dqspark.loaders;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.StringJoiner;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/** Writes canonical tables the way a Spark job lays them out, in Parquet and in CSV. */
final class CanonicalFixtures {
  /** A vertices row; null label/split/features stand for SQL nulls. */
  record V(long graphId, long id, float[] features, Integer label, String split) {}

  /** A graphs row. */
  record G(long graphId, Integer label, String split) {}

  /** Spark's schema for vertices (nullable columns optional), plus an extra in_degree column. */
  static final MessageType VERTEX_SCHEMA = MessageTypeParser.parseMessageType(
      "message spark_schema {\n"
          + "  required int64 graph_id;\n"
          + "  required int64 id;\n"
          + "  optional group features (LIST) {\n"
          + "    repeated group list {\n"
          + "      optional float element;\n"
          + "    }\n"
          + "  }\n"
          + "  optional int32 label;\n"
          + "  optional binary split (STRING);\n"
          + "  required int64 in_degree;\n"
          + "}");

  static final MessageType EDGE_SCHEMA = MessageTypeParser.parseMessageType(
      "message spark_schema { required int64 graph_id; required int64 src; required int64 dst;"
          + " optional double mask_prob; }");

  static final MessageType GRAPH_SCHEMA = MessageTypeParser.parseMessageType(
      "message spark_schema { required int64 graph_id; optional int32 label; optional binary split (STRING); }");

  private CanonicalFixtures() {}

  static ParquetWriter<Group> writer(Path file, MessageType schema) {
    try {
      return ExampleParquetWriter.builder(new org.apache.hadoop.fs.Path(file.toUri()))
          .withType(schema)
          .withConf(new Configuration())
          .withCompressionCodec(CompressionCodecName.SNAPPY) // Spark's default codec
          .withWriteMode(ParquetFileWriter.Mode.OVERWRITE) // tests replace a part to break it
          .build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void parquetVertices(Path file, List<V> rows) {
    SimpleGroupFactory factory = new SimpleGroupFactory(VERTEX_SCHEMA);
    try (ParquetWriter<Group> out = writer(file, VERTEX_SCHEMA)) {
      for (V v : rows) {
        Group g = factory.newGroup().append("graph_id", v.graphId()).append("id", v.id());
        if (v.features() != null) {
          Group list = g.addGroup("features");
          for (float x : v.features()) {
            list.addGroup("list").append("element", x);
          }
        }
        if (v.label() != null) {
          g.append("label", v.label());
        }
        if (v.split() != null) {
          g.append("split", v.split());
        }
        out.write(g.append("in_degree", 7L));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Edges as {graph_id, src, dst} triples. */
  static void parquetEdges(Path file, long[][] rows) {
    SimpleGroupFactory factory = new SimpleGroupFactory(EDGE_SCHEMA);
    try (ParquetWriter<Group> out = writer(file, EDGE_SCHEMA)) {
      for (long[] e : rows) {
        out.write(factory.newGroup().append("graph_id", e[0]).append("src", e[1]).append("dst", e[2])
            .append("mask_prob", 0.25));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void parquetGraphs(Path file, List<G> rows) {
    SimpleGroupFactory factory = new SimpleGroupFactory(GRAPH_SCHEMA);
    try (ParquetWriter<Group> out = writer(file, GRAPH_SCHEMA)) {
      for (G r : rows) {
        Group g = factory.newGroup().append("graph_id", r.graphId());
        if (r.label() != null) {
          g.append("label", r.label());
        }
        if (r.split() != null) {
          g.append("split", r.split());
        }
        out.write(g);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** CSV as a Spark job writes it: header, nulls as empty fields, arrays joined by ';', an extra column. */
  static void csvVertices(Path file, List<V> rows) {
    StringBuilder text = new StringBuilder("graph_id,id,in_degree,features,label,split\n");
    for (V v : rows) {
      StringJoiner f = new StringJoiner(";");
      if (v.features() != null) {
        for (float x : v.features()) {
          f.add(Float.toString(x));
        }
      }
      text.append(v.graphId()).append(',').append(v.id()).append(",7,").append(f).append(',')
          .append(v.label() == null ? "" : v.label()).append(',')
          .append(v.split() == null ? "" : v.split()).append('\n');
    }
    TestData.write(file, text.toString());
  }

  static void csvEdges(Path file, long[][] rows) {
    StringBuilder text = new StringBuilder("graph_id,src,dst,mask_prob\n");
    for (long[] e : rows) {
      text.append(e[0]).append(',').append(e[1]).append(',').append(e[2]).append(",0.25\n");
    }
    TestData.write(file, text.toString());
  }

  static void csvGraphs(Path file, List<G> rows) {
    StringBuilder text = new StringBuilder("graph_id,label,split\n");
    for (G g : rows) {
      text.append(g.graphId()).append(',').append(g.label() == null ? "" : g.label()).append(',')
          .append(g.split() == null ? "" : g.split()).append('\n');
    }
    TestData.write(file, text.toString());
  }
}
