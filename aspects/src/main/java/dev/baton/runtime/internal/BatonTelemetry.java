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

  /** What a zero-code setup built; guarded by the class lock. */
  private static OpenTelemetry built;

  /** Whether {@link #built} is what {@link GlobalOpenTelemetry} holds; guarded by the class lock. */
  private static boolean builtIsGlobal;

  private static volatile boolean lambdaXrayParentFirst;

  private BatonTelemetry() {}

  /** Uses {@code openTelemetry} from now on instead of the global instance; nothing to flush. */
  public static void use(OpenTelemetry openTelemetry) {
    use(openTelemetry, null);
  }

  /**
   * Uses {@code openTelemetry} from now on instead of the global instance, and {@code flush}
   * (null for none) to export its buffered telemetry at the end of each invocation. With {@code
   * openTelemetry} null Baton goes back to the global instance and forgets what its zero-code
   * setup built.
   */
  public static synchronized void use(OpenTelemetry openTelemetry, TelemetryFlush flush) {
    BatonTelemetry.flush = flush;
    explicit = openTelemetry;
    if (openTelemetry == null) {
      built = null;
      builtIsGlobal = false;
      globalRegistered = false;
    }
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
   * still uses and flushes its own), and uses it with {@code flush} from now on. Should the
   * function register its own instance later, Baton's registration steps aside ({@link
   * #stepAsideFromGlobal}).
   */
  public static synchronized void useAndRegisterGlobally(
      OpenTelemetry openTelemetry, TelemetryFlush flush) {
    built = openTelemetry;
    try {
      GlobalOpenTelemetry.set(openTelemetry);
      builtIsGlobal = true;
    } catch (IllegalStateException raced) {
      // Registered by someone else meanwhile.
    }
    use(openTelemetry, flush);
  }

  /**
   * The function's code is about to register an OpenTelemetry globally (woven around {@code
   * GlobalOpenTelemetry.set}, {@code buildAndRegisterGlobal()} and autoconfigure's {@code
   * build()}): when what {@link GlobalOpenTelemetry} holds is what Baton's zero-code setup
   * registered, it is unregistered, so that the function's registration succeeds instead of
   * throwing, as it would have without Baton. Baton goes on with its own until the registration
   * is done ({@link #afterFunctionRegistration}).
   *
   * @return whether Baton's registration stepped aside
   */
  public static synchronized boolean stepAsideFromGlobal() {
    if (!builtIsGlobal) {
      return false;
    }
    GlobalOpenTelemetry.resetForTest();
    builtIsGlobal = false;
    globalRegistered = false;
    return true;
  }

  /**
   * The function's registration is done (or failed): if the function registered an instance,
   * Baton creates its spans with it from now on, unless the function handed Baton one itself
   * ({@code Baton.useOpenTelemetry}); {@code sdk} (the registered SDK's flush, or null when it is
   * not known) is what ends each invocation then. If nothing is registered (the registration
   * failed, or did not register globally), Baton's own registration, if it stepped aside, is
   * put back.
   */
  public static synchronized void afterFunctionRegistration(
      boolean steppedAside, OpenTelemetry registered, TelemetryFlush registeredFlush) {
    if (GlobalOpenTelemetry.isSet()) {
      if (explicit == null || explicit == built) {
        use(registered, registeredFlush);
      }
      return;
    }
    if (steppedAside) {
      try {
        GlobalOpenTelemetry.set(built);
        builtIsGlobal = true;
      } catch (IllegalStateException raced) {
        // Registered by someone else meanwhile.
      }
    }
  }

  /**
   * Whether spans go to X-Ray (the {@code xray} exporter): then Lambda's own X-Ray header, when it
   * says {@code Sampled=1}, parents each invocation span, so that X-Ray shows the function's
   * spans under Lambda's segments, and an incoming context that differs becomes a link.
   */
  public static void parentInvocationsOnLambdaXrayHeader(boolean xray) {
    lambdaXrayParentFirst = xray;
  }

  /** See {@link #parentInvocationsOnLambdaXrayHeader}. */
  public static boolean lambdaXrayParentFirst() {
    return lambdaXrayParentFirst;
  }

  /** Whether an instance was handed to Baton explicitly (not just registered globally). */
  public static boolean hasExplicitInstance() {
    return explicit != null;
  }

  /**
   * The flush in use now, or null when Baton was given no way to flush (an instance registered
   * only globally, or none). An invocation keeps the one it began with, so that it ends with the
   * same flush even when the function hands Baton another SDK meanwhile.
   */
  public static TelemetryFlush currentFlush() {
    return flush;
  }

  /**
   * Exports what {@code flush} (null: nothing to do) kept for {@code invocation}, waiting at most
   * {@code timeoutMillis}; 0 or less exports nothing. Never throws: a failed or timed-out export
   * is reported to {@link Failures}.
   *
   * @return whether the export completed within the time (true when there was nothing to do)
   */
  public static boolean flush(
      TelemetryFlush flush, TelemetryFlush.Invocation invocation, long timeoutMillis) {
    if (flush == null || timeoutMillis <= 0) {
      return flush == null;
    }
    try {
      flush.flush(invocation, timeoutMillis);
      return true;
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      Failures.report("flushing telemetry (interrupted)", interrupted);
    } catch (Throwable failure) {
      Failures.report("flushing telemetry", failure);
    }
    return false;
  }

  /**
   * Exports what the flush in use kept outside any invocation, waiting at most {@code
   * timeoutMillis}; see {@link #flush(TelemetryFlush, TelemetryFlush.Invocation, long)}.
   */
  public static boolean flush(long timeoutMillis) {
    return flush(flush, null, timeoutMillis);
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
