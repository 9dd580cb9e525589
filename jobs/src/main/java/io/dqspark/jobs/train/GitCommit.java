package io.dqspark.jobs.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The commit the running code was built from, for model provenance: {@code git rev-parse HEAD} in
 * the project folder ({@code dq.home}, set by bin/dq), suffixed {@code -dirty} when the work tree
 * has changes; {@code unknown} outside a checkout (a cluster jar without {@code dq.home}).
 */
final class GitCommit {
  private static String cached;

  private GitCommit() {}

  static synchronized String current() {
    if (cached == null) {
      String dir = System.getProperty("dq.home", ".");
      String head = git(dir, "rev-parse", "HEAD");
      if (head == null) {
        cached = "unknown";
      } else {
        String status = git(dir, "status", "--porcelain", "--untracked-files=no");
        cached = head + (status != null && !status.isEmpty() ? "-dirty" : "");
      }
    }
    return cached;
  }

  private static String git(String dir, String... args) {
    String[] cmd = new String[args.length + 3];
    cmd[0] = "git";
    cmd[1] = "-C";
    cmd[2] = Path.of(dir).toAbsolutePath().toString();
    System.arraycopy(args, 0, cmd, 3, args.length);
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
