package dev.baton.runtime.internal.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Identity, weakness and the bound of the map that remembers received messages' queues. */
class WeakIdentityMapTest {

  /** A key whose equals and hashCode must never be called (a Message's read its whole body). */
  private static final class Key {
    final String name;

    Key(String name) {
      this.name = name;
    }

    @Override
    public boolean equals(Object other) {
      throw new AssertionError("equals called");
    }

    @Override
    public int hashCode() {
      throw new AssertionError("hashCode called");
    }
  }

  @Test
  void keysAreFoundByIdentityWithoutTheirEqualsOrHashCode() {
    WeakIdentityMap<Object, String> map = new WeakIdentityMap<>(16, 1024);
    Key key = new Key("a");
    map.put(key, "orders");
    String one = new String("same");
    String two = new String("same");
    map.put(one, "first");
    map.put(two, "second");

    assertThat(map.get(key)).isEqualTo("orders");
    assertThat(map.get(new Key("a"))).isNull();
    assertThat(map.get(one)).as("equal strings are different keys").isEqualTo("first");
    assertThat(map.get(two)).isEqualTo("second");
    map.put(key, "returns");
    assertThat(map.get(key)).isEqualTo("returns");
    assertThat(map.size()).isEqualTo(3);
  }

  @Test
  void aFullStripeDropsItsOldestEntry() {
    WeakIdentityMap<Key, String> map = new WeakIdentityMap<>(1, 3);
    Key a = new Key("a");
    Key b = new Key("b");
    Key c = new Key("c");
    Key d = new Key("d");
    map.put(a, "a");
    map.put(b, "b");
    map.put(c, "c");
    map.put(a, "a again"); // a value replaced: no entry added, nothing dropped

    map.put(d, "d");

    assertThat(map.size()).isEqualTo(3);
    assertThat(map.get(a)).as("the oldest entry, although written again").isNull();
    assertThat(map.get(b)).isEqualTo("b");
    assertThat(map.get(c)).isEqualTo("c");
    assertThat(map.get(d)).isEqualTo("d");
    map.put(a, "a");
    assertThat(map.get(b)).isNull();
    assertThat(map.get(a)).isEqualTo("a");
  }

  @Test
  void manyLiveKeysAreAllFoundUpToTheBound() {
    WeakIdentityMap<Key, Integer> map = new WeakIdentityMap<>(4, 2_000);
    List<Key> keys = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      Key key = new Key("k" + i);
      keys.add(key);
      map.put(key, i);
    }
    for (int i = 0; i < keys.size(); i++) {
      assertThat(map.get(keys.get(i))).isEqualTo(i);
    }
    for (int i = 0; i < 20_000; i++) {
      map.put(new Key("more"), i);
    }
    assertThat(map.size()).as("4 stripes of at most 2,000").isLessThanOrEqualTo(8_000);
  }

  @Test
  void entriesWhoseKeyWasCollectedAreDropped() {
    WeakIdentityMap<Key, String> map = new WeakIdentityMap<>(16, 1024);
    Key kept = new Key("kept");
    map.put(kept, "kept");
    putUnreachableKeys(map, 100);
    assertThat(map.size()).isEqualTo(101);

    // Collected keys are enqueued by the JVM's reference handler after a GC; give it a few.
    for (int attempt = 0; attempt < 50 && map.size() > 1; attempt++) {
      System.gc();
    }

    assertThat(map.size()).isEqualTo(1);
    assertThat(map.get(kept)).isEqualTo("kept");
  }

  private static void putUnreachableKeys(WeakIdentityMap<Key, String> map, int count) {
    for (int i = 0; i < count; i++) {
      map.put(new Key("gone" + i), "gone");
    }
  }

  @Test
  void writersAndReadersAtOnceOnAFullStripeKeepItConsistent() throws Exception {
    WeakIdentityMap<Key, Integer> map = new WeakIdentityMap<>(1, 64);
    int threads = 4;
    CyclicBarrier together = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Integer>> found = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        found.add(pool.submit(() -> {
          together.await(10, TimeUnit.SECONDS);
          int hits = 0;
          for (int i = 0; i < 20_000; i++) {
            Key key = new Key("k");
            map.put(key, i);
            Integer value = map.get(key);
            if (value != null) {
              assertThat(value).isEqualTo(i);
              hits++;
            }
          }
          return hits;
        }));
      }
      for (Future<Integer> hits : found) {
        assertThat(hits.get(60, TimeUnit.SECONDS)).isPositive();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(map.size()).isBetween(1, 64);
  }

  @Test
  void stripesMustBeAPowerOfTwo() {
    assertThatThrownBy(() -> new WeakIdentityMap<>(3, 10)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new WeakIdentityMap<>(4, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
