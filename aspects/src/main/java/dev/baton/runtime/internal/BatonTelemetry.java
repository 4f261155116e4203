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
 *
 * <p>Baton's zero-code setups register a {@link DelegatingOpenTelemetry} globally, once, never
 * taken back; the function's own global registration, woven, goes through {@link
 * #registerForFunction} and switches that instance to the function's, instead of failing because
 * Baton was first. Both happen under this class's lock, so that they take turns in any order.
 */
public final class BatonTelemetry {

  /** The instrumentation scope name of every span Baton creates. */
  public static final String INSTRUMENTATION_SCOPE = "dev.baton";

  /**
   * The message of {@code GlobalOpenTelemetry.set} when an instance is registered already: what
   * the function's second registration throws, as it would without Baton.
   */
  static final String ALREADY_REGISTERED =
      "GlobalOpenTelemetry.set has already been called. GlobalOpenTelemetry.set must be called only"
          + " once before any calls to GlobalOpenTelemetry.get. If you are using the"
          + " OpenTelemetrySdk, use OpenTelemetrySdkBuilder.buildAndRegisterGlobal instead."
          + " Previous invocation set to cause of this exception.";

  /** What spans are created with; null: the global instance, once something registered one. */
  private static volatile OpenTelemetry current;

  private static volatile TelemetryFlush flush;
  private static volatile boolean globalRegistered;
  private static volatile CachedTracer cached;

  /** Whether {@link #current} was handed over by the function; guarded by the class lock. */
  private static boolean handedOver;

  /**
   * What Baton registered in {@link GlobalOpenTelemetry}, null when it did not (yet, or something
   * else was registered first); guarded by the class lock.
   */
  private static DelegatingOpenTelemetry registered;

  /**
   * Where the function registered its instance through {@link #registered} (the cause of the
   * exception a second registration throws), null until it did; guarded by the class lock.
   */
  private static Throwable functionRegistration;

  private static volatile boolean lambdaXrayParentFirst;

  private BatonTelemetry() {}

  /** Uses {@code openTelemetry} from now on instead of the global instance; nothing to flush. */
  public static void use(OpenTelemetry openTelemetry) {
    use(openTelemetry, null);
  }

  /**
   * Uses {@code openTelemetry}, handed over by the function, from now on instead of the global
   * instance, and {@code flush} (null for none) to export its buffered telemetry at the end of
   * each invocation; the function's global registrations no longer change what Baton uses. With
   * {@code openTelemetry} null Baton goes back to the global instance and forgets what its
   * zero-code setup built and registered (for tests, which also reset {@link
   * GlobalOpenTelemetry}).
   */
  public static synchronized void use(OpenTelemetry openTelemetry, TelemetryFlush flush) {
    current = openTelemetry;
    BatonTelemetry.flush = flush;
    handedOver = openTelemetry != null;
    if (openTelemetry == null) {
      registered = null;
      functionRegistration = null;
      globalRegistered = false;
    }
  }

  /**
   * Whether the function set OpenTelemetry up itself, handing Baton an instance or registering a
   * global one: then Baton's zero-code setups build nothing.
   */
  public static boolean setUpByFunction() {
    return current != null || GlobalOpenTelemetry.isSet();
  }

  /**
   * What a zero-code setup does with what it built: registers it globally, behind a {@link
   * DelegatingOpenTelemetry} that the function's own registration can switch later, so that the
   * function's own spans join Baton's, and uses it with {@code flush} from now on. When something
   * registered a global instance meanwhile, Baton still uses and flushes its own, unless that was
   * the function's own registration through {@link #registerForFunction}, which Baton uses then.
   */
  public static synchronized void useAndRegisterGlobally(
      OpenTelemetry openTelemetry, TelemetryFlush flush) {
    if (registered == null) {
      DelegatingOpenTelemetry global = new DelegatingOpenTelemetry(openTelemetry);
      try {
        GlobalOpenTelemetry.set(global);
        registered = global;
      } catch (IllegalStateException raced) {
        // Registered by someone else meanwhile.
      }
    } else if (functionRegistration == null) {
      registered.switchTo(openTelemetry);
    }
    if (current == null) {
      current = openTelemetry;
      BatonTelemetry.flush = flush;
    }
  }

  /**
   * What the function's own global registration of {@code openTelemetry} does instead of calling
   * {@code GlobalOpenTelemetry.set} (woven {@code set}, {@code buildAndRegisterGlobal()},
   * autoconfigure's {@code setResultAsGlobal()}): when Baton registered its {@link
   * DelegatingOpenTelemetry}, that switches to {@code openTelemetry}; else {@code
   * GlobalOpenTelemetry.set} registers it. Either way, under this class's lock, so that Baton's
   * setup never registers between a check and the function's registration. Then Baton creates its
   * spans with {@code openTelemetry} and ends each invocation with {@code flush} (null when
   * unknown), unless the function handed Baton an instance itself ({@code Baton.useOpenTelemetry}).
   *
   * @throws IllegalStateException only when the registration would throw it without Baton too:
   *     the function registered an instance already, or something other than Baton did (or locked
   *     in the no-op instance by an early {@code GlobalOpenTelemetry.get()}); Baton then goes on
   *     as before
   */
  public static synchronized void registerForFunction(
      OpenTelemetry openTelemetry, TelemetryFlush flush) {
    OpenTelemetry adopted = openTelemetry == null ? OpenTelemetry.noop() : openTelemetry;
    DelegatingOpenTelemetry global = registered;
    if (global == null) {
      GlobalOpenTelemetry.set(openTelemetry);
    } else if (functionRegistration != null) {
      throw new IllegalStateException(ALREADY_REGISTERED, functionRegistration);
    } else {
      global.switchTo(adopted);
      functionRegistration = new Throwable("the function's first global registration");
    }
    if (!handedOver) {
      current = adopted;
      BatonTelemetry.flush = flush;
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

  /**
   * Whether Baton has an instance of its own to create spans with (set up, adopted or handed
   * over), not just whatever the global one is.
   */
  public static boolean hasExplicitInstance() {
    return current != null;
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
    OpenTelemetry chosen = current;
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
    CachedTracer resolved = cached;
    if (resolved == null || resolved.source != source) {
      resolved =
          new CachedTracer(
              source,
              source
                  .tracerBuilder(INSTRUMENTATION_SCOPE)
                  .setInstrumentationVersion(BatonVersion.VERSION)
                  .build());
      cached = resolved;
    }
    return resolved.tracer;
  }

  /** A tracer and the instance it came from. */
  static final class CachedTracer {
    final OpenTelemetry source;
    final Tracer tracer;

    CachedTracer(OpenTelemetry source, Tracer tracer) {
      this.source = source;
      this.tracer = tracer;
    }
  }
}
