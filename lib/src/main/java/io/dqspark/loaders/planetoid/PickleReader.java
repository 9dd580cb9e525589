package io.dqspark.loaders.planetoid;

import io.dqspark.util.DqInputException;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.Unpickler;

/**
 * Pyrolite's unpickler restricted to the Python classes that Planetoid files use: numpy arrays
 * and dtypes, scipy CSR matrices, {@code collections.defaultdict(list)} and the
 * {@code _codecs.encode} wrapper Python 3 puts around bytes in protocol 2.
 *
 * <p>Classes are resolved here, per reader, rather than through Pyrolite's static
 * {@code registerConstructor} map, so reading Planetoid data does not change how other code in
 * the JVM (PySpark's SerDe, for one) unpickles. Any other class is an error, as are the opcodes
 * that name classes by other routes. Length-prefixed opcodes are checked against the bytes that
 * remain, so a corrupt length fails cleanly instead of allocating gigabytes.
 */
public final class PickleReader extends Unpickler {
  /** Stands for the {@code numpy.ndarray} class, which is only ever passed to {@code _reconstruct}. */
  private static final IObjectConstructor NDARRAY_CLASS = args -> {
    throw new PickleException("numpy.ndarray(...) called directly");
  };

  private static final Map<String, IObjectConstructor> CLASSES = classes();

  private final ByteArrayInputStream bytes;

  private PickleReader(byte[] data) {
    this.bytes = new ByteArrayInputStream(data);
  }

  /**
   * Unpickles a whole file.
   *
   * @param file names the file in error messages
   * @throws DqInputException when the bytes are not a pickle of the supported classes
   */
  public static Object read(byte[] data, String file) {
    PickleReader reader = new PickleReader(data);
    try {
      return reader.load(reader.bytes);
    } catch (IOException e) {
      throw new DqInputException(file + ": pickle ends too early (truncated file?): " + why(e), e);
    } catch (PickleException e) {
      throw new DqInputException(file + ": not a Planetoid pickle: " + why(e), e);
    } catch (RuntimeException e) {
      throw new DqInputException(file + ": not a readable pickle (corrupt file?): " + why(e), e);
    } finally {
      reader.close();
    }
  }

  private static String why(Exception e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  @Override
  protected Object dispatch(short key) throws IOException {
    switch (key) {
      case Opcodes.GLOBAL -> {
        String module = PickleUtils.readline(input);
        String name = PickleUtils.readline(input);
        stack.add(resolve(module, name));
        return NO_RETURN_VALUE;
      }
      case Opcodes.STACK_GLOBAL -> {
        String name = Pickled.string(stack.pop(), "class name");
        String module = Pickled.string(stack.pop(), "module name");
        stack.add(resolve(module, name));
        return NO_RETURN_VALUE;
      }
      case Opcodes.BUILD -> {
        Object state = stack.pop();
        if (!(stack.peek() instanceof PickleState target)) {
          throw new PickleException("cannot restore the state of " + Pickled.describe(stack.peek()));
        }
        target.setState(state);
        return NO_RETURN_VALUE;
      }
      case Opcodes.INST, Opcodes.OBJ, Opcodes.EXT1, Opcodes.EXT2, Opcodes.EXT4 ->
          throw new PickleException("unsupported pickle opcode " + key + " (old-style class instance or extension)");
      case Opcodes.BINSTRING, Opcodes.BINBYTES, Opcodes.BINUNICODE, Opcodes.LONG4 -> requireLength(4);
      case Opcodes.BINBYTES8, Opcodes.BINUNICODE8, Opcodes.BYTEARRAY8 -> requireLength(8);
      default -> { }
    }
    return super.dispatch(key);
  }

  /** Peeks at the little-endian length that follows the opcode and checks that many bytes remain. */
  private void requireLength(int width) throws EOFException {
    bytes.mark(width);
    byte[] b = new byte[width];
    int got = bytes.read(b, 0, width);
    bytes.reset();
    if (got < width) {
      throw new EOFException("premature end of file in a length field");
    }
    long length = 0;
    for (int i = width - 1; i >= 0; i--) {
      length = (length << 8) | (b[i] & 0xff);
    }
    long left = bytes.available() - width;
    if (length < 0 || length > left) {
      throw new EOFException("a value claims " + length + " bytes but only " + left + " remain");
    }
  }

  private static IObjectConstructor resolve(String module, String name) {
    IObjectConstructor c = CLASSES.get(module + "." + name);
    if (c == null) {
      throw new PickleException("unsupported Python class " + module + "." + name
          + " (Planetoid files hold numpy arrays, scipy CSR matrices and a dict of lists)");
    }
    return c;
  }

  private static Map<String, IObjectConstructor> classes() {
    Map<String, IObjectConstructor> m = new HashMap<>();
    IObjectConstructor reconstruct = args -> {
      if (args.length < 1 || args[0] != NDARRAY_CLASS) {
        throw new PickleException("_reconstruct of something other than numpy.ndarray");
      }
      return new NdArray();
    };
    for (String core : List.of("numpy.core", "numpy._core")) {
      m.put(core + ".multiarray._reconstruct", reconstruct);
      m.put(core + ".multiarray.scalar", PickleReader::scalar);
    }
    m.put("numpy.ndarray", NDARRAY_CLASS);
    m.put("numpy.dtype", args -> new Dtype(Pickled.string(arg(args, 0), "numpy dtype")));
    IObjectConstructor csr = args -> new CsrMatrix();
    for (String cls : List.of("scipy.sparse.csr.csr_matrix", "scipy.sparse._csr.csr_matrix",
        "scipy.sparse._csr.csr_array")) {
      m.put(cls, csr);
    }
    m.put("collections.defaultdict", args -> new HashMap<Object, Object>());
    m.put("__builtin__.list", args -> new ArrayList<Object>());
    m.put("builtins.list", args -> new ArrayList<Object>());
    m.put("_codecs.encode", PickleReader::encode);
    return Map.copyOf(m);
  }

  private static Object arg(Object[] args, int i) {
    if (i >= args.length) {
      throw new PickleException("missing constructor argument " + i);
    }
    return args[i];
  }

  /** {@code _codecs.encode(text, 'latin1')}: how Python 3 writes bytes in protocol 2. */
  private static Object encode(Object[] args) {
    String text = Pickled.string(arg(args, 0), "_codecs.encode text");
    String codec = args.length > 1 ? Pickled.string(args[1], "_codecs.encode codec") : "utf-8";
    String c = codec.toLowerCase(Locale.ROOT).replace('_', '-');
    if (c.equals("latin1") || c.equals("latin-1") || c.equals("iso-8859-1")) {
      return Pickled.bytes(text, "_codecs.encode text");
    }
    if (c.equals("utf-8") || c.equals("utf8")) {
      return text.getBytes(StandardCharsets.UTF_8);
    }
    throw new PickleException("_codecs.encode with unsupported codec " + codec);
  }

  /** A numpy scalar ({@code numpy.int64(5)} in an adjacency list): dtype and its raw bytes. */
  private static Object scalar(Object[] args) {
    if (!(arg(args, 0) instanceof Dtype d)) {
      throw new PickleException("numpy scalar without a dtype");
    }
    byte[] raw = Pickled.bytes(arg(args, 1), "numpy scalar data");
    if (raw.length != d.itemSize()) {
      throw new PickleException("numpy scalar: " + raw.length + " bytes for dtype " + d.code());
    }
    java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(raw).order(d.order());
    return d.isIntegral() ? (Object) d.readLong(buf, 0) : (Object) d.readDouble(buf, 0);
  }

  /** The Python name of what this reader builds, for error messages. */
  static String pythonName(Object o) {
    if (o instanceof NdArray) return "numpy.ndarray";
    if (o instanceof CsrMatrix) return "scipy.sparse.csr_matrix";
    if (o instanceof Dtype) return "numpy.dtype";
    if (o instanceof Map) return "dict";
    if (o instanceof List) return "list";
    if (o instanceof Integer || o instanceof Long || o instanceof java.math.BigInteger) return "int";
    if (o instanceof Double) return "float";
    if (o instanceof Boolean) return "bool";
    if (o instanceof byte[]) return "bytes";
    if (o instanceof IObjectConstructor) return "class";
    return o.getClass().getSimpleName();
  }
}
