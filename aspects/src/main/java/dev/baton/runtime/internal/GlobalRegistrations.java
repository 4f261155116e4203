package dev.baton.runtime.internal;

import io.opentelemetry.api.OpenTelemetry;
import java.util.function.Supplier;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>What the function's own global registration of an OpenTelemetry instance does with Baton
 * woven in: the advice of {@code dev.baton.aspects.GlobalRegistration} calls {@link #set} instead
 * of {@code GlobalOpenTelemetry.set}, and its SDK and autoconfigure companions reach {@link
 * #register} the same way, so that the registration works with Baton as it works without: a
 * function migrating to Baton keeps its own setup, registered at any time, also after Baton's
 * zero-code setup registered Baton's ({@link BatonTelemetry#registerForFunction}), and Baton
 * creates its spans with the function's instance from then on.
 *
 * <pre>{@code
 * void around(OpenTelemetry openTelemetry): call(void GlobalOpenTelemetry.set(OpenTelemetry)) ... {
 *   GlobalRegistrations.set(openTelemetry);
 * }
 * }</pre>
 *
 * <p>Throws only what the registration would throw without Baton: {@code IllegalStateException}
 * when the function registered an instance before, or something other than Baton registered one.
 */
public final class GlobalRegistrations {

  private GlobalRegistrations() {}

  /** {@code GlobalOpenTelemetry.set(openTelemetry)}, woven; Baton cannot flush it. */
  public static void set(OpenTelemetry openTelemetry) {
    register(openTelemetry, null);
  }

  /**
   * {@code GlobalOpenTelemetry.set(supplier)}, woven: the supplier's instance, as {@link
   * #set(OpenTelemetry)}. The supplier is called once, also when the registration then fails, as
   * without Baton.
   */
  public static void set(Supplier<OpenTelemetry> supplier) {
    set(supplier.get());
  }

  /**
   * Registers {@code openTelemetry} globally for the function, and ends each invocation with
   * {@code flush} (null when Baton cannot flush it) from now on.
   */
  public static void register(OpenTelemetry openTelemetry, TelemetryFlush flush) {
    BatonTelemetry.registerForFunction(openTelemetry, flush);
  }
}
