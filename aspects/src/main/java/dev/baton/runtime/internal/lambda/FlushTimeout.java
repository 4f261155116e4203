package dev.baton.runtime.internal.lambda;

import dev.baton.runtime.internal.Failures;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>How long the end of an invocation waits for its telemetry to be exported: environment
 * variable {@value #ENV} (or system property {@value #PROPERTY}), in milliseconds, default
 * {@value #DEFAULT_MILLIS}; {@code 0} turns the flush off. Never longer than the invocation has
 * left minus {@value #DEADLINE_MARGIN_MILLIS} ms, so that a slow exporter cannot make the
 * function time out.
 */
final class FlushTimeout {

  static final String ENV = "BATON_FLUSH_TIMEOUT_MS";
  static final String PROPERTY = "baton.flush.timeout.ms";
  static final long DEFAULT_MILLIS = 2_000;
  static final long DEADLINE_MARGIN_MILLIS = 100;

  /**
   * {@value #ENV}, read once: the environment does not change in a running process (a SnapStart
   * restore keeps the function version's), so there is no need to look it up on every
   * invocation.
   */
  private static final String ENV_VALUE = environment();

  private FlushTimeout() {}

  /**
   * The configured timeout: the system property read on each call (a map lookup) so that tests
   * and restore hooks see changes, else the environment variable.
   */
  static long configuredMillis() {
    String value = System.getProperty(PROPERTY);
    if (value == null || value.isBlank()) {
      value = ENV_VALUE;
    }
    if (value == null || value.isBlank()) {
      return DEFAULT_MILLIS;
    }
    try {
      long millis = Long.parseLong(value.trim());
      if (millis >= 0) {
        return millis;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    Failures.reportInput("a bad " + ENV, "'" + value + "', using " + DEFAULT_MILLIS + " ms");
    return DEFAULT_MILLIS;
  }

  /**
   * The time to wait now: the configured timeout, cut to what the invocation has left when
   * Lambda says ({@code remainingMillis > 0}; mocks and local runs often say 0, meaning unknown).
   */
  static long forRemaining(long remainingMillis) {
    long configured = configuredMillis();
    if (remainingMillis > 0) {
      return Math.max(0, Math.min(configured, remainingMillis - DEADLINE_MARGIN_MILLIS));
    }
    return configured;
  }

  private static String environment() {
    try {
      return System.getenv(ENV);
    } catch (Throwable failure) {
      Failures.report("reading " + ENV, failure);
      return null;
    }
  }
}
