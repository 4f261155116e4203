package dev.baton.runtime.internal.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.runtime.internal.Restores;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.sdk.trace.IdGenerator;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/**
 * Ids stay unique across SnapStart copies: copies of one snapshot draw the same random numbers
 * (their {@code ThreadLocalRandom} seeds were snapshotted), and still make different ids.
 */
class RestoreSafeIdsTest {

  /** The same sequence every time: what each restored copy of one snapshot draws. */
  private static LongSupplier snapshottedRandom() {
    SplittableRandom random = new SplittableRandom(42);
    return random::nextLong;
  }

  private static List<String> ids(IdGenerator ids, int count) {
    List<String> drawn = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      drawn.add(ids.generateTraceId());
      drawn.add(ids.generateSpanId());
    }
    return drawn;
  }

  @Test
  void twoCopiesThatDrawAlikeMakeDifferentIds() {
    List<String> first = ids(RestoreSafeIds.create(snapshottedRandom()), 100);
    List<String> second = ids(RestoreSafeIds.create(snapshottedRandom()), 100);

    Set<String> all = new HashSet<>(first);
    all.addAll(second);
    assertThat(all).hasSize(400);
  }

  @Test
  void theRestoreHookDrawsANewSalt() {
    RestoreSafeIds snapshot = RestoreSafeIds.create(snapshottedRandom());
    List<String> beforeRestore = ids(snapshot, 10);
    RestoreSafeIds sameDraws = RestoreSafeIds.create(snapshottedRandom());
    ids(sameDraws, 10);

    Restores.restored(); // what Baton's CRaC hook runs after a restore

    // The generator that was in the snapshot now makes other ids from the very same draws.
    RestoreSafeIds reference = RestoreSafeIds.create(snapshottedRandom());
    List<String> afterRestore = ids(snapshot, 10);
    assertThat(afterRestore).doesNotContainAnyElementsOf(beforeRestore);
    assertThat(afterRestore).doesNotContainAnyElementsOf(ids(reference, 20));
  }

  @Test
  void idsAreValid() {
    RestoreSafeIds ids = RestoreSafeIds.create();
    for (int i = 0; i < 1_000; i++) {
      assertThat(TraceId.isValid(ids.generateTraceId())).isTrue();
      assertThat(SpanId.isValid(ids.generateSpanId())).isTrue();
    }
    assertThat(ids.generatesRandomTraceIds()).isTrue();
  }

  @Test
  void aRandomThatDrawsOnlyZerosStillMakesValidIds() {
    RestoreSafeIds ids = RestoreSafeIds.create(() -> 0L);
    assertThat(SpanId.isValid(ids.generateSpanId())).isTrue();
    assertThat(TraceId.isValid(ids.generateTraceId())).isTrue();
  }

  @Test
  void xrayTraceIdsBeginWithTheEpochSeconds() {
    RestoreSafeIds ids = RestoreSafeIds.create(true);
    long before = System.currentTimeMillis() / 1000;

    String traceId = ids.generateTraceId();

    long seconds = Long.parseLong(traceId.substring(0, 8), 16);
    assertThat(seconds).isBetween(before, System.currentTimeMillis() / 1000);
    assertThat(TraceId.isValid(traceId)).isTrue();
  }
}
