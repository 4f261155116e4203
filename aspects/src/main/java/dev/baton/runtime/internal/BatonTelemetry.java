package dev.baton.runtime.internal;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>Where woven code gets its tracer. Resolved on each call from what is configured now, so a
 * function may register its SDK after woven classes were loaded, and cached per {@link
 * OpenTelemetry} instance so the steady state costs a few field reads. {@link
 * GlobalOpenTelemetry#get()} is only called once something was registered: calling it earlier
 * would lock in a no-op instance and make the function's own registration fail.
 */
public final class BatonTelemetry {

  /** The instrumentation scope name of every span Baton creates. */
  public static final String INSTRUMENTATION_SCOPE = "dev.baton";

  private static volatile OpenTelemetry explicit;
  private static volatile TelemetryFlush flush;
  private static volatile boolean globalRegistered;
  private static volatile CachedTracer cached;

  private BatonTelemetry() {}

  /** Uses {@code openTelemetry} from now on instead of the global instance; nothing to flush. */
  public static void use(OpenTelemetry openTelemetry) {
    use(openTelemetry, null);
  }

  /**
   * Uses {@code openTelemetry} from now on instead of the global instance, and {@code flush}
   * (null for none) to export its buffered telemetry at the end of each invocation.
   */
  public static synchronized void use(OpenTelemetry openTelemetry, TelemetryFlush flush) {
    BatonTelemetry.flush = flush;
    explicit = openTelemetry;
  }

  /**
   * Whether the function set OpenTelemetry up itself, handing Baton an instance or registering a
   * global one: then Baton's zero-code setups build nothing.
   */
  public static boolean setUpByFunction() {
    return explicit != null || GlobalOpenTelemetry.isSet();
  }

  /**
   * What a zero-code setup does with what it built: registers it globally, so that the function's
   * own spans join Baton's (unless something registered a global instance meanwhile: Baton then
   * still uses and flushes its own), and uses it with {@code flush} from now on.
   */
  public static void useAndRegisterGlobally(OpenTelemetry openTelemetry, TelemetryFlush flush) {
    try {
      GlobalOpenTelemetry.set(openTelemetry);
    } catch (IllegalStateException raced) {
      // Registered by someone else meanwhile.
    }
    use(openTelemetry, flush);
  }

  /** Whether an instance was handed to Baton explicitly (not just registered globally). */
  public static boolean hasExplicitInstance() {
    return explicit != null;
  }

  /**
   * Exports what the instance in use has buffered, waiting at most {@code timeoutMillis}. Does
   * nothing when Baton was given no way to flush (an instance registered only globally, or none).
   * Never throws: a failed or timed-out export is reported to {@link Failures}.
   *
   * @return whether the export completed within the time
   */
  public static boolean flush(long timeoutMillis) {
    TelemetryFlush current = flush;
    if (current == null || timeoutMillis <= 0) {
      return current == null;
    }
    try {
      current.flush(timeoutMillis);
      return true;
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      Failures.report("flushing telemetry (interrupted)", interrupted);
    } catch (Throwable failure) {
      Failures.report("flushing telemetry", failure);
    }
    return false;
  }

  /** The OpenTelemetry instance spans are created with now. */
  public static OpenTelemetry openTelemetry() {
    OpenTelemetry chosen = explicit;
    if (chosen != null) {
      return chosen;
    }
    if (globalRegistered || (globalRegistered = GlobalOpenTelemetry.isSet())) {
      return GlobalOpenTelemetry.get();
    }
    return OpenTelemetry.noop();
  }

  /** The tracer for scope {@value #INSTRUMENTATION_SCOPE} of the instance in use now. */
  public static Tracer tracer() {
    OpenTelemetry source = openTelemetry();
    CachedTracer current = cached;
    if (current == null || current.source != source) {
      current =
          new CachedTracer(
              source,
              source
                  .tracerBuilder(INSTRUMENTATION_SCOPE)
                  .setInstrumentationVersion(BatonVersion.VERSION)
                  .build());
      cached = current;
    }
    return current.tracer;
  }

  private static final class CachedTracer {
    final OpenTelemetry source;
    final Tracer tracer;

    CachedTracer(OpenTelemetry source, Tracer tracer) {
      this.source = source;
      this.tracer = tracer;
    }
  }
}
