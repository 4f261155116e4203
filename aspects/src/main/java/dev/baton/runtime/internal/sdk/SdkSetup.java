package dev.baton.runtime.internal.sdk;

import dev.baton.runtime.internal.BatonTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>Hands an SDK built by the function to Baton, with its flush. Kept out of {@code Baton} so
 * that the SDK's classes load only when a function calls {@code Baton.useOpenTelemetry}.
 */
public final class SdkSetup {

  private SdkSetup() {}

  /** Uses {@code sdk} from now on and flushes it at the end of every invocation. */
  public static void use(OpenTelemetrySdk sdk) {
    BatonTelemetry.use(sdk, SdkFlush.of(sdk));
  }
}
