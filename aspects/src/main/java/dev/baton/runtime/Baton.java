package dev.baton.runtime;

import dev.baton.runtime.internal.BatonVersion;
import dev.baton.runtime.internal.sdk.SdkSetup;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.util.Objects;

/**
 * Baton's run-time settings: the one call a function makes when it builds its own OpenTelemetry
 * SDK.
 *
 * <p>Woven code asks for its tracer (instrumentation scope {@code dev.baton}) on first use, not
 * while classes initialise, from the SDK given to {@link #useOpenTelemetry(OpenTelemetrySdk)},
 * else from {@link GlobalOpenTelemetry} once something has been registered there. Until then
 * spans are not recorded, and Baton never registers a no-op instance globally, so a function can
 * set up its SDK at any time.
 *
 * <p>Most functions need no call at all: the code generated for a {@code @TracedHandler} sets up
 * tracing from the {@code OTEL_*} settings on the first invocation, unless the function already
 * did. Which setup was decided at compile time: the full SDK through {@code
 * opentelemetry-sdk-extension-autoconfigure} when that module is on the compile classpath, else
 * Baton's built-in trace-only SDK (OTLP/HTTP, on {@code opentelemetry-sdk-trace} alone); the
 * processor option {@code -Abaton.telemetry=autoconfigure|built-in|none} overrides the choice.
 */
public final class Baton {

  private Baton() {}

  /**
   * Makes woven code create its spans with {@code sdk} from now on, whatever {@link
   * GlobalOpenTelemetry} holds, and makes every {@code @TracedHandler} invocation end by flushing
   * {@code sdk}'s providers, waiting at most {@code BATON_FLUSH_TIMEOUT_MS} (2,000 ms unless set;
   * never past the invocation's deadline). Call it once, before the first traced call, typically
   * in the handler's constructor or a static initialiser:
   *
   * <pre>{@code
   * OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(...).build();
   * Baton.useOpenTelemetry(sdk);
   * }</pre>
   *
   * @throws NullPointerException if {@code sdk} is null
   */
  public static void useOpenTelemetry(OpenTelemetrySdk sdk) {
    SdkSetup.use(Objects.requireNonNull(sdk, "sdk"));
  }

  /** The version of Baton's runtime, which is also the version of its instrumentation scope. */
  public static String version() {
    return BatonVersion.VERSION;
  }
}
