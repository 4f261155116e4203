package dev.baton.runtime.internal.export;

import java.io.IOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>Holds every export to its deadline, whatever the collector does. A socket's read timeout
 * restarts with every byte (a collector that drips its answer is never timed out by it) and its
 * writes have none (a collector that does not read the request blocks them). So each export
 * {@linkplain #watch registers} a {@link Watch} with its deadline and has it {@linkplain
 * Watch#cover cover} each socket it uses; one daemon thread ({@code baton-export-deadline}, started
 * with the first watch) closes the covered socket if the export is still running at its deadline,
 * and the exporting thread's blocked connect, write or read (TLS included: the socket closed is the
 * TCP socket under it) fails at once with an {@link IOException}.
 *
 * <p>The thread only ever closes a plain {@link Socket}, which takes no lock that a thread blocked
 * in it holds, and takes each watch's own lock only to read which socket to close: it never waits
 * for an exporting thread, so every export's cut-off is independent of the others'. A watch that
 * expired stays expired until the export {@linkplain Watch#close() closes} it: a socket it covers
 * later (the export was between two connections, or still looking up the collector's address) is
 * closed at once. The thread waits in between; while Lambda has the process frozen it is frozen
 * too, which is harmless, as no export runs then.
 *
 * <p>Watches are independent of threads: any thread may export by a deadline it holds itself.
 */
final class ExportDeadlines {

  private static final Object LOCK = new Object();
  private static final List<Watch> WATCHED = new ArrayList<>();
  private static Thread thread;

  private ExportDeadlines() {}

  /**
   * A watch that cuts the export off at {@code deadlineNanos} ({@link System#nanoTime()}): from
   * then on, until it is {@linkplain Watch#close() closed}, the socket it covers is closed.
   */
  static Watch watch(long deadlineNanos) {
    Watch watch = new Watch(deadlineNanos);
    synchronized (LOCK) {
      WATCHED.add(watch);
      if (thread == null) {
        thread = new Thread(new Watchdog(), "baton-export-deadline");
        thread.setDaemon(true);
        thread.start();
      } else {
        LOCK.notifyAll();
      }
    }
    return watch;
  }

  /** The watchdog's loop; a class, not a lambda, to keep the cold path short. */
  private static final class Watchdog implements Runnable {
    @Override
    public void run() {
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
  }

  /** Closes {@code socket}, which may be closed already; never throws. */
  static void closeQuietly(Socket socket) {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException | RuntimeException ignored) {
        // Closed either way: nothing more can be done with it.
      }
    }
  }

  /** One export's deadline; closing it (when the export ended) stops the watch. */
  static final class Watch implements AutoCloseable {
    private final long deadlineNanos;
    private Socket covered;
    private boolean expired;
    private boolean done;

    private Watch(long deadlineNanos) {
      this.deadlineNanos = deadlineNanos;
    }

    /** The deadline, a {@link System#nanoTime()} value. */
    long deadlineNanos() {
      return deadlineNanos;
    }

    /**
     * Closes {@code socket} at the deadline, in place of the socket covered before; at once when
     * the deadline passed already.
     */
    void cover(Socket socket) {
      boolean cutNow;
      synchronized (this) {
        covered = socket;
        cutNow = expired || deadlineNanos - System.nanoTime() <= 0;
        expired |= cutNow;
      }
      if (cutNow) {
        closeQuietly(socket);
      }
    }

    /**
     * Stops covering the socket (to keep it for another export); false when the deadline passed
     * first, and the socket may be closed.
     */
    boolean uncover() {
      synchronized (this) {
        covered = null;
        return !expired;
      }
    }

    private void expire() {
      Socket socket;
      synchronized (this) {
        if (done) {
          return;
        }
        expired = true;
        socket = covered;
      }
      // Outside the watch's lock: the exporting thread may take it meanwhile.
      closeQuietly(socket);
    }

    /** Whether the deadline passed before the export ended: its socket was cut. */
    synchronized boolean expired() {
      return expired;
    }

    @Override
    public void close() {
      synchronized (this) {
        done = true;
        covered = null;
      }
      synchronized (LOCK) {
        WATCHED.remove(this);
      }
    }
  }
}
