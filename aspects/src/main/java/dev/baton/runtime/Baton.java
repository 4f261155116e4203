package dev.baton.runtime;

import dev.baton.runtime.internal.BatonTelemetry;
import dev.baton.runtime.internal.BatonVersion;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import java.util.Objects;

/**
 * Baton's run-time settings: the one call a function makes when it builds its own OpenTelemetry
 * SDK instead of registering it globally.
 *
 * <p>Woven code asks for its tracer (instrumentation scope {@code dev.baton}) on first use, not
 * while classes initialise, from the {@link OpenTelemetry} given to {@link
 * #useOpenTelemetry(OpenTelemetry)}, else from {@link GlobalOpenTelemetry} once something has been
 * registered there. Until then spans are not recorded, and Baton never registers a no-op instance
 * globally, so a function can set up its SDK at any time.
 */
public final class Baton {

  private Baton() {}

  /**
   * Makes woven code create its spans with {@code openTelemetry} from now on, whatever {@link
   * GlobalOpenTelemetry} holds. Call it once, before the first traced call, typically in the
   * handler's constructor or a static initialiser:
   *
   * <pre>{@code
   * OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(...).build();
   * Baton.useOpenTelemetry(sdk);
   * }</pre>
   *
   * @throws NullPointerException if {@code openTelemetry} is null
   */
  public static void useOpenTelemetry(OpenTelemetry openTelemetry) {
    BatonTelemetry.use(Objects.requireNonNull(openTelemetry, "openTelemetry"));
  }

  /** The version of Baton's runtime, which is also the version of its instrumentation scope. */
  public static String version() {
    return BatonVersion.VERSION;
  }
}
