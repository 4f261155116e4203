package dev.baton.runtime.internal;

import io.opentelemetry.api.OpenTelemetry;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>What the advice of {@code dev.baton.aspects.GlobalRegistration} (and of its SDK and
 * autoconfigure companions) calls around the function's own global registration of an
 * OpenTelemetry instance ({@code GlobalOpenTelemetry.set}, {@code buildAndRegisterGlobal()},
 * autoconfigure's {@code build()}), so that it works with Baton as it works without: a function
 * migrating to Baton keeps its own setup, and Baton's zero-code registration steps aside for it.
 *
 * <pre>{@code
 * boolean steppedAside = GlobalRegistrations.before();
 * try {
 *   result = proceed(...);
 * } catch (Throwable failure) {
 *   GlobalRegistrations.after(steppedAside, null);
 *   throw TracedMethods.rethrow(failure);          // the same object
 * }
 * GlobalRegistrations.after(steppedAside, openTelemetry);
 * }</pre>
 *
 * <p>Never throws.
 */
public final class GlobalRegistrations {

  private GlobalRegistrations() {}

  /** Before the registration: Baton's own steps aside; returns whether it did. */
  public static boolean before() {
    try {
      return BatonTelemetry.stepAsideFromGlobal();
    } catch (Throwable failure) {
      Failures.report("making room for the function's own OpenTelemetry", failure);
      return false;
    }
  }

  /**
   * After the registration of {@code registered} (null when it failed or is not known): Baton
   * uses what the function registered (not flushed by Baton, which cannot flush an instance it
   * knows only by the API), or puts its own registration back.
   */
  public static void after(boolean steppedAside, OpenTelemetry registered) {
    afterWithFlush(steppedAside, registered, null);
  }

  /** {@link #after}, with the registered SDK's flush. */
  public static void afterWithFlush(
      boolean steppedAside, OpenTelemetry registered, TelemetryFlush flush) {
    try {
      BatonTelemetry.afterFunctionRegistration(steppedAside, registered, flush);
    } catch (Throwable failure) {
      Failures.report("using the function's own OpenTelemetry", failure);
    }
  }
}
