package io.dqspark.loaders;

import io.dqspark.util.DqInputException;
import io.dqspark.util.HadoopFiles;
import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;

/**
 * Reads a canonical table written by Spark as Parquet ({@code part-*.parquet}) with parquet-hadoop's
 * example {@link Group} API: no Spark and no Avro in dq-lib. Columns are found by name, so extra
 * columns are ignored; {@code array<float>} is read in Spark's 3-level LIST layout and in the
 * legacy 2-level one.
 */
final class ParquetTables {
  private ParquetTables() {}

  static void scan(HadoopFiles files, Path dir, TableRow.Columns columns, Consumer<TableRow> sink) {
    String what = "canonical " + columns.table() + " table";
    List<Path> parts = PartFiles.list(files, dir, n -> n.startsWith("part-") && n.endsWith(".parquet"), what);
    if (parts.isEmpty()) {
      throw new DqInputException(what + ": no part-*.parquet files in " + dir);
    }
    for (Path part : parts) {
      try (ParquetReader<Group> reader =
               ParquetReader.builder(new GroupReadSupport(), part).withConf(files.conf()).build()) {
        Row row = null;
        long number = 0;
        Group group;
        while ((group = next(reader, part, what)) != null) {
          if (row == null) {
            row = new Row(part.toString(), group.getType(), columns);
          }
          row.group = group;
          row.number = ++number;
          sink.accept(row);
        }
      } catch (IOException e) {
        throw new DqInputException(what + ": cannot read Parquet file " + part + ": " + e.getMessage(), e);
      }
    }
  }

  /** Reads the next record; parquet-hadoop reports corrupt or non-Parquet files as runtime errors. */
  private static Group next(ParquetReader<Group> reader, Path part, String what) {
    try {
      return reader.read();
    } catch (IOException | RuntimeException e) {
      throw new DqInputException(what + ": cannot read Parquet file " + part + ": " + e, e);
    }
  }

  /** A Parquet record viewed through the requested columns. */
  private static final class Row implements TableRow {
    private final String file;
    private final TableRow.Columns columns;
    private final GroupType schema;
    private final int[] field;
    Group group;
    long number;

    Row(String file, GroupType schema, TableRow.Columns columns) {
      this.file = file;
      this.schema = schema;
      this.columns = columns;
      this.field = new int[columns.names().length];
      for (int c = 0; c < field.length; c++) {
        String name = columns.names()[c];
        field[c] = schema.containsField(name) ? schema.getFieldIndex(name) : -1;
        if (field[c] < 0 && columns.required()[c]) {
          throw new DqInputException(file + ": no column '" + name + "' in the schema " + schema);
        }
      }
    }

    @Override public boolean isNull(int c) {
      return field[c] < 0 || group.getFieldRepetitionCount(field[c]) == 0;
    }

    /** The primitive type of a non-null value of column c. */
    private PrimitiveTypeName present(int c) {
      if (isNull(c)) {
        throw error(c, "null where a value is required");
      }
      Type type = schema.getType(field[c]);
      return type.isPrimitive() ? type.asPrimitiveType().getPrimitiveTypeName() : null;
    }

    @Override public long getLong(int c) {
      PrimitiveTypeName type = present(c);
      if (type == PrimitiveTypeName.INT64) {
        return group.getLong(field[c], 0);
      }
      if (type == PrimitiveTypeName.INT32) {
        return group.getInteger(field[c], 0);
      }
      throw error(c, "has type " + schema.getType(field[c]) + ", expected an integer");
    }

    @Override public int getInt(int c) {
      PrimitiveTypeName type = present(c);
      if (type == PrimitiveTypeName.INT32) {
        return group.getInteger(field[c], 0);
      }
      if (type == PrimitiveTypeName.INT64) {
        long v = group.getLong(field[c], 0);
        if (v != (int) v) {
          throw error(c, v + " does not fit in an int");
        }
        return (int) v;
      }
      throw error(c, "has type " + schema.getType(field[c]) + ", expected an int");
    }

    @Override public String getString(int c) {
      if (present(c) != PrimitiveTypeName.BINARY) {
        throw error(c, "has type " + schema.getType(field[c]) + ", expected a string");
      }
      return group.getBinary(field[c], 0).toStringUsingUTF8();
    }

    @Override public float[] getFloats(int c) {
      if (isNull(c)) {
        return new float[0];
      }
      Type type = schema.getType(field[c]);
      Type repeated = type.isPrimitive() ? null : type.asGroupType().getType(0);
      if (repeated == null || type.asGroupType().getFieldCount() != 1 || !repeated.isRepetition(Type.Repetition.REPEATED)) {
        throw error(c, "has type " + type + ", expected an array<float> LIST");
      }
      Group list = group.getGroup(field[c], 0);
      int n = list.getFieldRepetitionCount(0);
      float[] out = new float[n];
      for (int i = 0; i < n; i++) {
        if (repeated.isPrimitive()) { // legacy 2-level list: the repeated field is the element
          out[i] = number(c, list, 0, i, repeated);
        } else {
          Group item = list.getGroup(0, i);
          if (item.getFieldRepetitionCount(0) == 0) {
            throw error(c, "element " + (i + 1) + " is null");
          }
          out[i] = number(c, item, 0, 0, repeated.asGroupType().getType(0));
        }
      }
      return out;
    }

    private float number(int c, Group holder, int index, int repetition, Type element) {
      PrimitiveTypeName type = element.isPrimitive() ? element.asPrimitiveType().getPrimitiveTypeName() : null;
      if (type == PrimitiveTypeName.FLOAT) {
        return holder.getFloat(index, repetition);
      }
      if (type == PrimitiveTypeName.DOUBLE) {
        return (float) holder.getDouble(index, repetition);
      }
      throw error(c, "array elements have type " + element + ", expected float");
    }

    @Override public String where() {
      return file + ": row " + number;
    }

    @Override public String columnName(int c) {
      return columns.names()[c];
    }
  }
}
