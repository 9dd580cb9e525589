package io.dqspark.jobs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChampionPointerTest {
  @TempDir Path tmp;

  @Test
  void ofRetrainsStartedFromTheSameChampionExactlyOnePromotes() throws Exception {
    org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(tmp.toUri());
    ChampionPointer first = new ChampionPointer(new Configuration(), root);
    assertNull(first.read());
    assertTrue(first.compareAndSet(null, () -> "v1"));
    assertEquals("v1", first.read());

    int racers = 8;
    CountDownLatch start = new CountDownLatch(1);
    CountDownLatch allRead = new CountDownLatch(racers); // every racer has seen v1 before any may move it
    AtomicInteger published = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(racers);
    List<Future<Boolean>> results = new ArrayList<>();
    for (int i = 0; i < racers; i++) {
      int id = i;
      Callable<Boolean> retrain = () -> {
        ChampionPointer p = new ChampionPointer(new Configuration(), root); // its own handle, as another process
        String seen = p.read();
        allRead.countDown();
        start.await();
        return p.compareAndSet(seen, () -> {
          published.incrementAndGet();
          return "v" + (2 + id);
        });
      };
      results.add(pool.submit(retrain));
    }
    allRead.await();
    start.countDown();
    int promoted = 0;
    for (Future<Boolean> f : results) {
      promoted += f.get() ? 1 : 0;
    }
    pool.shutdown();
    assertEquals(1, promoted, "exactly one of the retrains that all saw v1 promotes");
    assertEquals(1, published.get(), "the losers publish nothing");
    assertTrue(first.read().matches("v[2-9]"));
    assertTrue(Files.notExists(tmp.resolve("CHAMPION.lock")), "lock released");
  }
}
