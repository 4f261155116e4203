package dev.baton.runtime.internal.lambda;

import dev.baton.runtime.internal.BatonTelemetry;
import dev.baton.runtime.internal.Failures;
import dev.baton.runtime.internal.TelemetryFlush;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>Exports invocations' spans after their responses on Lambda Managed Instances ({@code
 * AWS_LAMBDA_MAX_CONCURRENCY}), where an environment runs many invocations at once and is never
 * frozen, and where Lambda lets an internal extension subscribe to no event: one daemon thread
 * ({@value #THREAD_NAME}) takes what the invocations' ends hand over from a bounded queue
 * ({@value #CAPACITY} invocations) and exports each within {@code BATON_FLUSH_TIMEOUT_MS} from when
 * it starts on it. When the queue is full (a collector slower than the invocations), the
 * invocation exports its own spans before its response, as without this thread: back-pressure,
 * not loss. When the JVM shuts down (Lambda stops the environment), a shutdown hook exports what
 * still waits, within {@code BATON_FLUSH_TIMEOUT_MS} in all. The thread never ends: every failure
 * is caught and reported once.
 */
final class BackgroundExport {

  static final String THREAD_NAME = "baton-export";
  static final int CAPACITY = 1_024;

  /** One invocation's spans and the time its export may take. */
  private static final class HandOff {
    final TelemetryFlush flush;
    final TelemetryFlush.Invocation kept;
    final long timeoutMillis;

    HandOff(TelemetryFlush flush, TelemetryFlush.Invocation kept, long timeoutMillis) {
      this.flush = flush;
      this.kept = kept;
      this.timeoutMillis = timeoutMillis;
    }
  }

  private final ArrayBlockingQueue<HandOff> queue;
  private volatile long exported;

  BackgroundExport(int capacity) {
    this.queue = new ArrayBlockingQueue<>(capacity);
  }

  /** Starts the thread, and the shutdown hook that exports what waits when the JVM ends. */
  static BackgroundExport start() {
    BackgroundExport export = new BackgroundExport(CAPACITY);
    Thread thread = new Thread(new Loop(export), THREAD_NAME);
    thread.setDaemon(true);
    thread.start();
    try {
      Runtime.getRuntime().addShutdownHook(new Thread(new Drain(export), THREAD_NAME + "-shutdown"));
    } catch (Throwable failure) {
      Failures.report("adding the shutdown hook of Baton's background export", failure);
    }
    return export;
  }

  /** Queues the invocation's export; false when the queue is full: the caller exports itself. */
  boolean offer(TelemetryFlush flush, TelemetryFlush.Invocation kept, long timeoutMillis) {
    return queue.offer(new HandOff(flush, kept, timeoutMillis));
  }

  /** Exports the next queued invocation, waiting for one at most {@code waitMillis}; whether there was one. */
  boolean exportNext(long waitMillis) {
    HandOff next;
    try {
      next = queue.poll(waitMillis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException ignored) {
      return false;
    }
    if (next == null) {
      return false;
    }
    try {
      BatonTelemetry.flush(next.flush, next.kept, next.timeoutMillis);
    } catch (Throwable failure) {
      Failures.report("exporting spans in the background (the export goes on)", failure);
    }
    exported++;
    return true;
  }

  /** How many invocations this thread exported (or tried to). */
  long exported() {
    return exported;
  }

  /** Exports what waits, within {@code totalMillis} in all. */
  void drain(long totalMillis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(totalMillis);
    HandOff next;
    while ((next = queue.poll()) != null) {
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (left <= 0) {
        return;
      }
      BatonTelemetry.flush(next.flush, next.kept, Math.min(left, next.timeoutMillis));
    }
  }

  /** The thread's task; a class, not a lambda, to keep the cold path short. */
  private static final class Loop implements Runnable {
    private final BackgroundExport export;

    Loop(BackgroundExport export) {
      this.export = export;
    }

    @Override
    public void run() {
      while (true) {
        try {
          export.exportNext(TimeUnit.MINUTES.toMillis(1));
        } catch (Throwable failure) {
          Failures.report("exporting spans in the background (the export goes on)", failure);
        }
      }
    }
  }

  /** The shutdown hook's task. */
  private static final class Drain implements Runnable {
    private final BackgroundExport export;

    Drain(BackgroundExport export) {
      this.export = export;
    }

    @Override
    public void run() {
      try {
        export.drain(FlushTimeout.configuredMillis());
      } catch (Throwable failure) {
        Failures.report("exporting spans at shutdown", failure);
      }
    }
  }
}
