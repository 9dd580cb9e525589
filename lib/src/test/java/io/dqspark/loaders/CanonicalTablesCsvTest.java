package io.dqspark.loaders;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dqspark.graph.EdgeRules;
import io.dqspark.graph.GraphDataset;
import io.dqspark.graph.Split;
import io.dqspark.graph.VertexTable;
import io.dqspark.loaders.CanonicalTablesReader.TableFormat;
import io.dqspark.util.DqInputException;
import io.dqspark.util.HadoopFiles;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CSV form of the canonical tables: field rules and bad input. */
class CanonicalTablesCsvTest {
  private static final HadoopFiles FILES = HadoopFiles.withDefaults();
  private static final String VERTICES = "vertices/part-00000-ab12-c000.csv";

  @TempDir Path tmp;

  private Path dir;

  @BeforeEach
  void writeEdges() {
    dir = tmp.resolve("ds");
    TestData.write(dir.resolve("edges/part-00000-ab12-c000.csv"), "graph_id,src,dst\n0,0,1\n0,1,0\n");
  }

  private GraphDataset read() {
    return CanonicalTablesReader.read(FILES, dir.toString(), "ds", TableFormat.CSV, EdgeRules.Options.DEFAULT);
  }

  private DqInputException fails(String vertices) {
    TestData.write(dir.resolve(VERTICES), vertices);
    return assertThrows(DqInputException.class, this::read);
  }

  @Test
  void zeroWidthFeaturesQuotedFieldsAndExtraColumns() {
    TestData.write(dir.resolve(VERTICES),
        "id,graph_id,features,label,split,part\n0,0,,1,\"train\",\"a,b\"\n1,0,,,none,\"say \\\"hi\\\"\"\n");
    GraphDataset ds = read();
    assertEquals(0, ds.featureDim());
    assertArrayEquals(new long[] {0, 1}, ds.vertices().ids());
    assertArrayEquals(new int[] {1, VertexTable.NO_LABEL}, ds.vertices().labels());
    assertArrayEquals(new Split[] {Split.TRAIN, null}, ds.vertices().splits());
    assertEquals(2, ds.numClasses());
    assertEquals(2, ds.edges().size());
  }

  @Test
  void rowWithTheWrongNumberOfFieldsNamesFileAndLine() {
    DqInputException e = fails("graph_id,id,features,label,split\n0,0,1;2,0,train\n0,1,1;2,0\n");
    assertTrue(e.getMessage().contains("part-00000-ab12-c000.csv:3: 4 fields, but the header has 5"), e.getMessage());
  }

  @Test
  void labelThatIsNotAnIntNamesFileLineAndColumn() {
    DqInputException e = fails("graph_id,id,features,label,split\n0,0,1;2,0,train\n0,1,1;2,cat,test\n");
    assertTrue(e.getMessage().contains("part-00000-ab12-c000.csv:3: column 'label': 'cat' is not an int"),
        e.getMessage());
  }

  @Test
  void fractionalLabelIsNotAnInt() {
    DqInputException e = fails("graph_id,id,features,label,split\n0,0,1;2,1.0,train\n");
    assertTrue(e.getMessage().contains(":2: column 'label': '1.0' is not an int"), e.getMessage());
  }

  @Test
  void negativeLabelIsRejected() {
    DqInputException e = fails("graph_id,id,features,label,split\n0,0,1;2,-1,train\n");
    assertTrue(e.getMessage().contains(":2: column 'label': label -1 is negative"), e.getMessage());
  }

  @Test
  void nanInFeaturesNamesFileAndLine() {
    DqInputException e = fails("graph_id,id,features,label,split\n0,0,1.0;2.0,0,train\n0,1,1.0;NaN,0,test\n");
    assertTrue(e.getMessage().contains("part-00000-ab12-c000.csv:3: column 'features': value 2 is NaN"),
        e.getMessage());
  }

  @Test
  void unparsableFeatureValueIsNamed() {
    DqInputException e = fails("graph_id,id,features,label,split\n0,0,1.0;x,0,train\n");
    assertTrue(e.getMessage().contains(":2: column 'features': value 2 'x' is not a number"), e.getMessage());
  }

  @Test
  void unknownSplitIsNamed() {
    DqInputException e = fails("graph_id,id,features,label,split\n0,0,1,0,holdout\n");
    assertTrue(e.getMessage().contains(":2: column 'split': unknown split 'holdout'"), e.getMessage());
  }

  @Test
  void missingRequiredColumnIsNamedAtTheHeader() {
    DqInputException e = fails("graph_id,node,features\n0,0,1\n");
    assertTrue(e.getMessage().contains("part-00000-ab12-c000.csv:1: no column 'id'"), e.getMessage());
  }

  @Test
  void nullIdIsRejected() {
    DqInputException e = fails("graph_id,id,features\n0,,1\n");
    assertTrue(e.getMessage().contains(":2: column 'id': null where a value is required"), e.getMessage());
  }

  @Test
  void unterminatedQuoteIsNamed() {
    DqInputException e = fails("graph_id,id,features,label,split\n0,0,1,0,\"train\n");
    assertTrue(e.getMessage().contains(":2: unterminated quoted field 5"), e.getMessage());
  }

  @Test
  void headerOnlyVerticesAreAnEmptyDataset() {
    DqInputException e = fails("graph_id,id,features,label,split\n");
    assertTrue(e.getMessage().contains("no rows, the dataset is empty"), e.getMessage());
  }

  @Test
  void edgeWithANonIntegerIdNamesFileAndLine() {
    TestData.write(dir.resolve("edges/part-00001-ab12-c000.csv"), "graph_id,src,dst\n0,1,x\n");
    DqInputException e = fails("graph_id,id,features\n0,0,\n0,1,\n");
    assertTrue(e.getMessage().contains("edges/part-00001-ab12-c000.csv:2: column 'dst': 'x' is not an integer"),
        e.getMessage());
  }
}
