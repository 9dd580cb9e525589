package io.dqspark.jobs.docs;

import io.dqspark.jobs.DqCli;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * {@code docs/cli.md}, rendered from the picocli declarations themselves, so the reference cannot
 * drift from the options the jobs accept: every command and subcommand's usage help, in the order
 * {@code bin/dq --help} lists them. {@code CliReferenceTest} fails when the file is stale; {@link
 * #main} rewrites it.
 */
public final class CliReference {
  /** Where the reference lives, relative to the repository root. */
  public static final String FILE = "docs/cli.md";

  private CliReference() {}

  /** The whole reference as markdown. */
  public static String render() {
    CommandLine root = DqCli.commandLine(new DqCli());
    root.setUsageHelpWidth(100);
    StringBuilder md = new StringBuilder();
    md.append("# bin/dq command reference\n\n")
        .append("Generated from the commands' picocli declarations by `io.dqspark.jobs.docs.CliReference`")
        .append(" (regenerate: run\n")
        .append("`java -cp \"$(cat jobs/target/runtime-classpath.txt):jobs/target/classes:lib/target/classes:lib/engine/target/classes\"")
        .append(" io.dqspark.jobs.docs.CliReference`); `CliReferenceTest` fails when it is stale.\n");
    append(md, root, "dq");
    return md.toString();
  }

  private static void append(StringBuilder md, CommandLine cl, String path) {
    cl.setUsageHelpWidth(100);
    md.append("\n## `").append(path.equals("dq") ? "bin/dq" : "bin/dq " + path.substring(3)).append("`\n\n```\n")
        .append(cl.getUsageMessage(CommandLine.Help.Ansi.OFF).stripTrailing()).append("\n```\n");
    for (var e : cl.getSubcommands().entrySet()) {
      if (!e.getValue().getCommandSpec().usageMessage().hidden()) {
        append(md, e.getValue(), path + " " + e.getKey());
      }
    }
  }

  /** Rewrites {@value #FILE} under the given repository root (default: the working directory). */
  public static void main(String[] args) throws IOException {
    Path root = Path.of(args.length > 0 ? args[0] : ".");
    Files.writeString(root.resolve(FILE), render(), StandardCharsets.UTF_8);
    System.out.println("wrote " + root.resolve(FILE));
  }
}
