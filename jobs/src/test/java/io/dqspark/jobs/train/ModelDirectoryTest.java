package io.dqspark.jobs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dqspark.jobs.common.AtomicOutput;
import io.dqspark.util.DqInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Tag;

/** Version claims: publishers that finish together get distinct versions and never nest one in another. */
@Tag("integration")
class ModelDirectoryTest {
  @Test
  void racingPublishersGetDistinctVersions(@TempDir Path root) throws Exception {
    int racers = 8;
    for (int round = 0; round < 20; round++) {
      Path out = root.resolve("round" + round);
      ModelDirectory first = new ModelDirectory(new Configuration(), out.toString(), "m");
      publishNext(first); // v1 exists before the race
      CountDownLatch start = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(racers);
      List<Future<Integer>> got = new ArrayList<>();
      for (int i = 0; i < racers; i++) {
        got.add(pool.submit(() -> {
          ModelDirectory models = new ModelDirectory(new Configuration(), out.toString(), "m");
          start.await();
          try (ModelDirectory.Claim c = models.claimNext()) {
            publish(models, c);
            return c.version();
          }
        }));
      }
      start.countDown();
      Set<Integer> versions = new TreeSet<>();
      for (Future<Integer> f : got) {
        versions.add(f.get());
      }
      pool.shutdown();
      assertEquals(racers, versions.size(), "round " + round + ": " + versions);
      assertEquals(racers + 1, first.latest());
      try (Stream<Path> dirs = Files.list(out.resolve("m"))) {
        List<String> names = dirs.map(p -> p.getFileName().toString()).sorted().toList();
        assertEquals(racers + 1, names.size(), "only v1..v9, no claims or temporary folders left: " + names);
      }
      for (int v = 1; v <= racers + 1; v++) {
        Path dir = out.resolve("m/v" + v);
        try (Stream<Path> files = Files.list(dir)) {
          assertEquals(List.of("_SUCCESS", "payload"), files.map(p -> p.getFileName().toString())
              .filter(n -> !n.startsWith(".")).sorted().toList(), "v" + v + " holds one publication, nothing nested");
        }
      }
    }
  }

  @Test
  void anExplicitVersionThatExistsOrIsClaimedIsRefused(@TempDir Path root) {
    ModelDirectory models = new ModelDirectory(new Configuration(), root.toString(), "m");
    publishNext(models);
    DqInputException exists = assertThrows(DqInputException.class, () -> models.claim(1));
    assertTrue(exists.getMessage().contains("already holds a model version"), exists.getMessage());
    try (ModelDirectory.Claim held = models.claim(2)) {
      DqInputException busy = assertThrows(DqInputException.class, () -> models.claim(2));
      assertTrue(busy.getMessage().contains("being published by another run"), busy.getMessage());
      try (ModelDirectory.Claim next = models.claimNext()) {
        assertEquals(3, next.version(), "a claimed version is skipped");
      }
    }
  }

  private static void publishNext(ModelDirectory models) {
    try (ModelDirectory.Claim c = models.claimNext()) {
      publish(models, c);
    }
  }

  private static void publish(ModelDirectory models, ModelDirectory.Claim claim) {
    try (AtomicOutput out = models.begin(claim.version())) {
      out.writeText("payload", "v" + claim.version());
      out.commit();
    }
  }
}
