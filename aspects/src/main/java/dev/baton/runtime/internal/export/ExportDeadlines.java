package dev.baton.runtime.internal.export;

import dev.baton.runtime.internal.Failures;
import java.net.HttpURLConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>Holds every export to its deadline, whatever the collector does. {@link HttpURLConnection}
 * has a connect timeout and a read timeout, but the read timeout restarts with every byte (a
 * collector that drips its answer one byte at a time is never timed out) and writes have none.
 * So each export {@linkplain #watch registers} its connection here, and one daemon thread ({@code
 * baton-export-deadline}, started with the first export) disconnects it if it is still running
 * at its deadline: the socket is closed, and the exporting thread's blocked connect, write or read
 * fails at once with an {@link java.io.IOException}. The thread only waits in between; while
 * Lambda has the process frozen it is frozen too, which is harmless, as no export runs then.
 */
final class ExportDeadlines {

  private static final Object LOCK = new Object();
  private static final List<Watch> WATCHED = new ArrayList<>();
  private static Thread thread;

  private ExportDeadlines() {}

  /**
   * Disconnects {@code connection} at {@code deadlineNanos} ({@link System#nanoTime()}) unless
   * the returned watch is {@linkplain Watch#close() closed} before.
   */
  static Watch watch(HttpURLConnection connection, long deadlineNanos) {
    Watch watch = new Watch(connection, deadlineNanos);
    synchronized (LOCK) {
      WATCHED.add(watch);
      if (thread == null) {
        thread = new Thread(ExportDeadlines::run, "baton-export-deadline");
        thread.setDaemon(true);
        thread.start();
      } else {
        LOCK.notifyAll();
      }
    }
    return watch;
  }

  private static void run() {
    List<Watch> expired = new ArrayList<>();
    while (true) {
      synchronized (LOCK) {
        long now = System.nanoTime();
        long next = Long.MAX_VALUE;
        for (int i = WATCHED.size() - 1; i >= 0; i--) {
          Watch watch = WATCHED.get(i);
          if (watch.deadlineNanos - now <= 0) {
            WATCHED.remove(i);
            expired.add(watch);
          } else {
            next = Math.min(next, watch.deadlineNanos - now);
          }
        }
        if (expired.isEmpty()) {
          try {
            if (next == Long.MAX_VALUE) {
              LOCK.wait();
            } else {
              TimeUnit.NANOSECONDS.timedWait(LOCK, next);
            }
          } catch (InterruptedException interrupted) {
            // A daemon thread no one interrupts; go on watching.
          }
          continue;
        }
      }
      for (Watch watch : expired) {
        watch.expire();
      }
      expired.clear();
    }
  }

  /** One export's deadline; closing it (when the export ended) stops the watch. */
  static final class Watch implements AutoCloseable {
    private final HttpURLConnection connection;
    private final long deadlineNanos;
    private boolean done;
    private boolean expired;

    private Watch(HttpURLConnection connection, long deadlineNanos) {
      this.connection = connection;
      this.deadlineNanos = deadlineNanos;
    }

    private void expire() {
      synchronized (this) {
        if (done) {
          return;
        }
        expired = true;
      }
      try {
        connection.disconnect();
      } catch (Throwable failure) {
        Failures.report("ending an export at its deadline", failure);
      }
    }

    /** Whether the deadline passed before the export ended: the connection was cut. */
    synchronized boolean expired() {
      return expired;
    }

    @Override
    public void close() {
      synchronized (this) {
        done = true;
      }
      synchronized (LOCK) {
        WATCHED.remove(this);
      }
    }
  }
}
