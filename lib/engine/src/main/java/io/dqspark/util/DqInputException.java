package io.dqspark.util;

/**
 * Bad input: the message names the file (and line or row where there is one), the parameter or
 * the value, and what is wrong with it. Jobs print it and exit without publishing anything.
 */
public class DqInputException extends RuntimeException {
  public DqInputException(String message) {
    super(message);
  }

  public DqInputException(String message, Throwable cause) {
    super(message, cause);
  }

  /** An error at a line of a text file, formatted {@code file:line: problem}. */
  public static DqInputException atLine(String file, long line, String problem) {
    return new DqInputException(file + ":" + line + ": " + problem);
  }
}
