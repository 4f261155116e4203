package dev.baton.runtime.internal.export;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>When to try a collector again after it failed, so that a dead, stalled or dripping
 * collector costs one invocation the flush timeout, not every invocation. After an export fails
 * because the collector is not there or not answering ({@link #collectorUnavailable}: a timeout,
 * a refused or broken connection, HTTP 429, 502, 503 or 504, the statuses OTLP calls retryable),
 * exports are skipped for {@value #INITIAL_MILLIS} ms, doubling with each failure in a row up to
 * {@value #MAX_MILLIS} ms; then one export tries again (a probe: other invocations keep skipping
 * until it ends), and a success ends the back-off. An export that ran out of a time too short to
 * judge the collector by ({@link #inconclusive()}) changes nothing; one whose exporter threw
 * counts as a failure, so that a probe always ends. Time spent frozen between invocations counts:
 * {@link System#nanoTime()} goes on while Lambda has the process stopped.
 *
 * <p>Shared by the concurrent invocations of one JVM; every method is thread-safe.
 */
final class ExportBackoff {

  static final long INITIAL_MILLIS = 1_000;
  static final long MAX_MILLIS = 60_000;

  private final LongSupplier nanoClock;
  private int failures;
  private long retryAtNanos;
  private boolean probing;

  /** A back-off on {@link System#nanoTime()}. */
  ExportBackoff() {
    this(SystemClock.INSTANCE);
  }

  /** A back-off on {@code nanoClock} (tests). */
  ExportBackoff(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  /** Whether an export may be made now; if so after failures, it is the probe. */
  synchronized boolean mayExport() {
    if (failures == 0) {
      return true;
    }
    if (probing || nanoClock.getAsLong() - retryAtNanos < 0) {
      return false;
    }
    probing = true;
    return true;
  }

  /** An export succeeded (or failed for a reason of its own): the collector is there. */
  synchronized void succeeded() {
    failures = 0;
    probing = false;
  }

  /** An export failed because the collector is not there or not answering. */
  synchronized void failed() {
    failures++;
    probing = false;
    retryAtNanos = nanoClock.getAsLong() + TimeUnit.MILLISECONDS.toNanos(delayMillis(failures));
  }

  /**
   * An export ended in a way that says nothing about the collector (it ran out of a time too short
   * to judge): the back-off stays as it was, and a probe in flight is given back so that the next
   * export may probe.
   */
  synchronized void inconclusive() {
    probing = false;
  }

  /** How long exports are skipped after {@code failures} failures in a row. */
  static long delayMillis(int failures) {
    if (failures <= 0) {
      return 0;
    }
    int doublings = Math.min(failures - 1, 16);
    return Math.min(MAX_MILLIS, INITIAL_MILLIS << doublings);
  }

  /** The current wait, in words, for reports. */
  synchronized String describe() {
    return delayMillis(Math.max(1, failures)) + " ms";
  }

  /** Whether {@code failure} says the collector is not there or not answering. */
  static boolean collectorUnavailable(Throwable failure) {
    if (failure instanceof OtlpHttpSpanExporter.StatusException status) {
      int code = status.status();
      return code == 429 || code == 502 || code == 503 || code == 504;
    }
    return failure instanceof IOException || failure instanceof TimeoutException;
  }

  /** {@link System#nanoTime()}: a class, not a method reference, which would spin a lambda. */
  private enum SystemClock implements LongSupplier {
    INSTANCE;

    @Override
    public long getAsLong() {
      return System.nanoTime();
    }
  }
}
