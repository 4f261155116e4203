package dev.baton.runtime.internal.sdk;

import dev.baton.runtime.internal.Failures;
import dev.baton.runtime.internal.GlobalRegistrations;
import dev.baton.runtime.internal.TelemetryFlush;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.OpenTelemetrySdkBuilder;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>What the function's own {@code buildAndRegisterGlobal()} does with Baton woven in (advice of
 * {@code dev.baton.aspects.SdkRegistration}): builds the SDK and registers it as {@link
 * GlobalRegistrations} does, and, since the SDK is known, Baton flushes it at the end of each
 * invocation. Autoconfigure's {@code setResultAsGlobal()} goes through {@link
 * AutoConfiguredTelemetry#build}.
 */
public final class SdkRegistrations {

  private SdkRegistrations() {}

  /**
   * {@code builder.buildAndRegisterGlobal()}, woven: what {@code build()} throws, or the {@code
   * IllegalStateException} of a registration that fails as it would without Baton, goes to the
   * caller; the SDK built is then not registered, as without Baton.
   */
  public static OpenTelemetrySdk buildAndRegisterGlobal(OpenTelemetrySdkBuilder builder) {
    OpenTelemetrySdk sdk = builder.build();
    register(sdk);
    return sdk;
  }

  /** Registers {@code sdk} globally for the function; Baton flushes it from now on. */
  static void register(OpenTelemetrySdk sdk) {
    TelemetryFlush flush = null;
    try {
      flush = SdkFlush.of(sdk);
    } catch (Throwable failure) {
      Failures.report("using the function's own OpenTelemetry SDK", failure);
    }
    GlobalRegistrations.register(sdk, flush);
  }
}
