package dev.baton.runtime.internal.sdk;

import dev.baton.runtime.internal.GlobalRegistrations;
import io.opentelemetry.sdk.OpenTelemetrySdk;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>{@link GlobalRegistrations#after} for {@code buildAndRegisterGlobal()} (advice of {@code
 * dev.baton.aspects.SdkRegistration}), whose SDK is known, so that Baton flushes it at the end of
 * each invocation; autoconfigure's {@code build()} goes through {@link
 * AutoConfiguredTelemetry#afterRegistration}. Never throws.
 */
public final class SdkRegistrations {

  private SdkRegistrations() {}

  /** After {@code buildAndRegisterGlobal()} returned {@code sdk} (null when it threw). */
  public static void after(boolean steppedAside, OpenTelemetrySdk sdk) {
    GlobalRegistrations.afterWithFlush(steppedAside, sdk, sdk == null ? null : SdkFlush.of(sdk));
  }
}
