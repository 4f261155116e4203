package dev.baton.runtime.internal;

import java.lang.System.Logger.Level;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>Where tracing failures go. Tracing never changes what the user's code returns or throws: a
 * failure in span creation, attribute extraction, context propagation or export is counted and
 * logged once per kind (logger {@code dev.baton}, level WARNING), and the function goes on.
 */
public final class Failures {

  private static final Set<String> REPORTED = ConcurrentHashMap.newKeySet();
  private static final AtomicLong COUNT = new AtomicLong();
  private static final AtomicLong CAUGHT = new AtomicLong();

  private Failures() {}

  /**
   * Counts {@code failure} and logs it the first time a failure of this {@code kind} happens.
   *
   * @param kind what Baton was doing, in a few words ("starting a span")
   */
  public static void report(String kind, Throwable failure) {
    COUNT.incrementAndGet();
    CAUGHT.incrementAndGet();
    try {
      if (REPORTED.add(kind)) {
        System.getLogger("dev.baton")
            .log(
                Level.WARNING,
                "Baton: tracing failed while "
                    + kind
                    + "; the function goes on unchanged (reported once per kind)",
                failure);
      }
    } catch (Throwable ignored) {
      // Even logging may fail (a broken logging setup): tracing still must not.
    }
  }

  /**
   * Reports bad input that Baton tolerates (a malformed header, say) once per {@code kind}, with
   * no stack trace.
   */
  public static void reportInput(String kind, String detail) {
    COUNT.incrementAndGet();
    try {
      if (REPORTED.add(kind)) {
        System.getLogger("dev.baton")
            .log(
                Level.WARNING,
                "Baton: ignored "
                    + kind
                    + " ("
                    + detail
                    + "); tracing goes on without it (reported once per kind)");
      }
    } catch (Throwable ignored) {
      // see report
    }
  }

  /**
   * Logs {@code message} (WARNING, no stack trace) the first time something of this {@code kind}
   * happens: a condition Baton works around, such as Lambda refusing its extension.
   */
  public static void warn(String kind, String message) {
    COUNT.incrementAndGet();
    try {
      if (REPORTED.add(kind)) {
        System.getLogger("dev.baton").log(Level.WARNING, message + " (reported once)");
      }
    } catch (Throwable ignored) {
      // see report
    }
  }

  /** How many tracing failures this JVM has seen. */
  public static long count() {
    return COUNT.get();
  }

  /**
   * How many of them were exceptions that the safety net caught ({@link #report}), rather than
   * bad input Baton tolerates ({@link #reportInput}). Baton's own code throws on no input: the
   * net is for what user code does (a {@code toString()} or {@code getMessage()} that throws).
   */
  public static long caught() {
    return CAUGHT.get();
  }
}
