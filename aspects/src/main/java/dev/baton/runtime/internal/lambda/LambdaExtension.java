package dev.baton.runtime.internal.lambda;

import dev.baton.runtime.internal.Arns;
import dev.baton.runtime.internal.BatonTelemetry;
import dev.baton.runtime.internal.Failures;
import dev.baton.runtime.internal.Restores;
import dev.baton.runtime.internal.TelemetryFlush;
import dev.baton.runtime.internal.TracedMethods;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>Baton's internal Lambda extension: a daemon thread ({@value #THREAD_NAME}) of the function's
 * own JVM, registered with Lambda's Extensions API for {@code INVOKE} events, that exports each
 * invocation's spans after the caller has its response and before Lambda freezes the
 * environment. Lambda returns the runtime's response to the caller at once and freezes only once
 * the runtime and every extension have asked for their next event, so the export costs billed
 * time, never the caller's.
 *
 * <ul>
 *   <li><b>Registration</b> ({@link #registerDuringInit}, called by the generated aspect while the
 *       {@code @TracedHandler} class initializes) is open only until the runtime first asks for an
 *       event; it is one bounded call on the initializing thread. It happens only where {@code
 *       AWS_LAMBDA_RUNTIME_API} is set and {@code BATON_EXPORT} is not {@code before-response}.
 *       When Lambda refuses it, or it fails, Baton says so once and exports before the response,
 *       as without the extension.
 *   <li><b>Lambda Managed Instances</b> ({@code AWS_LAMBDA_MAX_CONCURRENCY}): no freeze there,
 *       and Lambda lets an internal extension subscribe to no event, so nothing registers; a
 *       {@link BackgroundExport} thread exports after the responses instead.
 *   <li><b>Each invocation</b>: Lambda hands {@code INVOKE} (its request id and deadline) to the
 *       runtime and to this thread at once. The invocation's end {@linkplain #handOff hands its
 *       spans over}, keyed by request id, and returns to the caller; this thread waits for that
 *       hand-off (at most until {@value #DEADLINE_MARGIN_MILLIS} ms before the invocation's
 *       deadline, so that Lambda never resets the environment for it), exports by the deadline the
 *       invocation set at its end ({@code BATON_FLUSH_TIMEOUT_MS} from then), and asks for its next
 *       event.
 *   <li><b>The loop never ends</b>: once registered, an extension that stops asking for events
 *       holds every invocation until the function's timeout, and Lambda resets the environment.
 *       Every failure inside it is caught and reported once, and the thread asks for its next
 *       event (after a short pause when asking itself failed).
 * </ul>
 */
public final class LambdaExtension {

  static final String THREAD_NAME = "baton-extension";

  /** The name the extension registers under ({@code Lambda-Extension-Name}). */
  static final String NAME = "baton";

  static final String RUNTIME_API = "AWS_LAMBDA_RUNTIME_API";
  static final String SNAP_START = "snap-start";

  /** The request id of the priming invocation's hand-off (no request of Lambda's has it). */
  static final String PRIMING_REQUEST_ID = "baton-snapstart-priming";

  private static final String PRIMING_SPAN = "baton priming";
  static final String MAX_CONCURRENCY = "AWS_LAMBDA_MAX_CONCURRENCY";

  /** How long registering may hold the handler class's initialization, at most. */
  static final int REGISTRATION_TIMEOUT_MILLIS = 2_000;

  /** How long before the invocation's deadline the thread stops waiting for its hand-off. */
  static final long DEADLINE_MARGIN_MILLIS = FlushTimeout.DEADLINE_MARGIN_MILLIS;

  /** How long to wait for a hand-off when the event says no deadline (Lambda's longest timeout). */
  static final long NO_DEADLINE_WAIT_MILLIS = TimeUnit.MINUTES.toMillis(15);

  private static final long MAX_PAUSE_MILLIS = 1_000;

  /**
   * At most this many hand-offs wait: more only when the extension's thread cannot get events
   * (one invocation at a time hands over one), and then invocations export their own spans.
   */
  static final int MAX_WAITING = 16;

  private static final Object REGISTRATION = new Object();
  private static boolean registrationTried;
  private static volatile LambdaExtension active;

  /** On Lambda Managed Instances, the thread that exports after the responses instead. */
  private static volatile BackgroundExport background;

  /** Where the thread gets its events from: the Extensions API, or a test's own. */
  interface Events {
    /** Waits for the next event and returns its JSON. */
    String next() throws IOException;
  }

  /** One invocation's spans, handed over at its end. */
  private static final class HandOff {
    final TelemetryFlush flush;
    final TelemetryFlush.Invocation kept;
    final long deadlineNanos;

    HandOff(TelemetryFlush flush, TelemetryFlush.Invocation kept, long deadlineNanos) {
      this.flush = flush;
      this.kept = kept;
      this.deadlineNanos = deadlineNanos;
    }
  }

  private final Events events;

  /** What invocations handed over and this thread has not exported yet; guarded by this. */
  private final Map<String, HandOff> handedOff = new HashMap<>();

  /** Written by the extension's thread only. */
  private volatile long exported;

  LambdaExtension(Events events) {
    this.events = events;
  }

  // ---------------------------------------------------------------------------- registration

  /**
   * Registers Baton's internal extension and starts its thread, the first time it is called in
   * this JVM and only where it applies (see the class comment); afterwards, or elsewhere, does
   * nothing. Called while the {@code @TracedHandler} class initializes, before Lambda's runtime
   * client asks for its first event. Never throws, and holds the caller at most {@value
   * #REGISTRATION_TIMEOUT_MILLIS} ms.
   *
   * <p>Under SnapStart ({@code AWS_LAMBDA_INITIALIZATION_TYPE=snap-start}) it also registers
   * {@code priming} (the generated code's: the tracing setup, then one invocation of the
   * handler's tracing with no event, ended by {@link #endPriming}) to run in Baton's CRaC hook
   * before the snapshot, so that the first invocation after a restore loads no class of Baton's or
   * OpenTelemetry's.
   *
   * @return whether spans are exported after the response (by the extension, or on Lambda Managed
   *     Instances by a background thread)
   */
  public static boolean registerDuringInit(Runnable priming) {
    try {
      register();
    } catch (Throwable failure) {
      Failures.report(
          "registering Baton's Lambda extension (spans are exported before each response)",
          failure);
    }
    try {
      if (priming != null && SNAP_START.equals(System.getenv(Restores.INITIALIZATION_TYPE))) {
        Restores.beforeCheckpoint(new Priming(priming));
      }
    } catch (Throwable failure) {
      Failures.report("registering Baton's SnapStart priming", failure);
    }
    return active != null || background != null;
  }

  /**
   * Whether a priming invocation may create spans: only when the flush in use goes through its
   * export without sending them ({@link TelemetryFlush#primesWithoutExport()}); spans of an SDK's
   * own processors would reach the collector.
   */
  public static boolean primesInvocations() {
    TelemetryFlush flush = BatonTelemetry.currentFlush();
    return flush != null && flush.primesWithoutExport();
  }

  /** The Lambda context of the priming invocation: shaped like Lambda's, exported nowhere. */
  public static com.amazonaws.services.lambda.runtime.Context primingContext() {
    return new PrimingContext();
  }

  /**
   * A span of the priming invocation (current), as a {@code @Traced} method's; before it, spans
   * parented the ways an invocation's are (by a sampled and an unsampled incoming context,
   * extracted from headers through the configured propagators, and by a local span of each), so
   * that the tracer's code for each is loaded. Ended by the generated priming; none is exported.
   */
  public static Span primingSpan() {
    Context current = Context.current();
    try {
      for (String flags : new String[] {"01", "00"}) {
        TreeMap<String, List<String>> headers = Carriers.newCarrier();
        Carriers.put(
            headers, "traceparent", "00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-" + flags);
        Carriers.put(headers, "tracestate", "baton=priming");
        Carriers.put(headers, "baggage", "baton=priming");
        Carriers.put(
            headers,
            "X-Amzn-Trace-Id",
            "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0");
        Context incoming = IncomingContext.fromCarrier(headers, "the priming headers");
        Context parent =
            incoming == null ? current : current.with(Span.wrap(IncomingContext.spanContext(incoming)));
        Span remote = TracedMethods.tracer().spanBuilder(PRIMING_SPAN).setParent(parent).startSpan();
        Span local =
            TracedMethods.tracer().spanBuilder(PRIMING_SPAN).setParent(parent.with(remote)).startSpan();
        local.end();
        remote.end();
      }
      Arns.functionResourceId("arn:aws:lambda:us-east-1:000000000000:function:f:live", "1");
    } catch (Throwable failure) {
      Failures.report("priming tracing before a SnapStart snapshot", failure);
    }
    return TracedMethods.tracer().spanBuilder(PRIMING_SPAN).setParent(current).startSpan();
  }

  /**
   * Ends the priming invocation the generated code started (with no event) before a SnapStart
   * snapshot, and has its spans handled as an invocation's are, through the extension's handling
   * of an event when one is registered, up to the collector's socket, without sending anything.
   */
  public static void endPriming(LambdaInvocation invocation) {
    try {
      TelemetryFlush.Invocation kept = invocation.endWithoutFlush();
      TelemetryFlush flush = new PrimingFlush(invocation.flushInUse());
      long timeout = FlushTimeout.configuredMillis();
      LambdaExtension extension = active;
      if (extension != null) {
        handOff(PRIMING_REQUEST_ID, flush, kept, timeout);
        extension.serve(
            "{\"eventType\":\"INVOKE\",\"deadlineMs\":"
                + (System.currentTimeMillis() + 60_000)
                + ",\"requestId\":\"" + PRIMING_REQUEST_ID + "\"}");
      } else {
        BatonTelemetry.flush(flush, kept, timeout);
      }
    } catch (Throwable failure) {
      Failures.report("priming tracing before a SnapStart snapshot", failure);
    }
  }

  /** What the priming invocation's export goes through: {@link TelemetryFlush#prime}. */
  private static final class PrimingFlush implements TelemetryFlush {
    private final TelemetryFlush flush;

    PrimingFlush(TelemetryFlush flush) {
      this.flush = flush;
    }

    @Override
    public void flush(Invocation invocation, long timeoutMillis) throws Exception {
      if (flush != null) {
        flush.prime(invocation);
      }
    }
  }

  /** Runs the generated priming, never throwing into the CRaC hook. */
  private static final class Priming implements Runnable {
    private final Runnable priming;

    Priming(Runnable priming) {
      this.priming = priming;
    }

    @Override
    public void run() {
      try {
        priming.run();
      } catch (Throwable failure) {
        Failures.report("priming tracing before a SnapStart snapshot", failure);
      }
    }
  }

  private static void register() {
    synchronized (REGISTRATION) {
      if (registrationTried) {
        return;
      }
      registrationTried = true;
    }
    String runtimeApi = System.getenv(RUNTIME_API);
    if (runtimeApi == null || runtimeApi.isEmpty() || !ExportTiming.afterResponse()) {
      return;
    }
    String concurrency = System.getenv(MAX_CONCURRENCY);
    if (concurrency != null && !concurrency.isEmpty()) {
      // Lambda Managed Instances: no freeze, and no event an internal extension may subscribe to.
      background = BackgroundExport.start();
      return;
    }
    ExtensionsApiClient client = ExtensionsApiClient.of(runtimeApi);
    if (client == null) {
      Failures.warn(
          "registering Baton's Lambda extension",
          "Baton: could not register its Lambda extension (" + RUNTIME_API + " is '"
              + runtimeApi + "'): spans are exported before each response instead of after it");
      return;
    }
    String identifier;
    try {
      identifier = client.register(NAME, REGISTRATION_TIMEOUT_MILLIS);
    } catch (IOException | RuntimeException refused) {
      Failures.warn(
          "registering Baton's Lambda extension",
          "Baton: could not register its Lambda extension ("
              + refused.getMessage()
              + "): spans are exported before each response instead of after it");
      return;
    }
    start(new LambdaExtension(new ApiEvents(client, identifier)));
  }

  /** Starts {@code extension}'s thread and makes it the one invocations hand over to. */
  static void start(LambdaExtension extension) {
    Thread thread = new Thread(new Loop(extension), THREAD_NAME);
    thread.setDaemon(true);
    thread.start();
    active = extension;
  }

  /** Forgets the active extension (tests; its thread keeps running, harmless). */
  static void stopUsing() {
    active = null;
    background = null;
    synchronized (REGISTRATION) {
      registrationTried = false;
    }
  }

  /** Whether spans are exported after the response, by a registered extension. */
  public static boolean isActive() {
    return active != null;
  }

  /** Uses {@code export} for every invocation's spans (tests; Lambda Managed Instances). */
  static void exportInBackground(BackgroundExport export) {
    background = export;
  }

  // -------------------------------------------------------------------------------- hand-off

  /**
   * Hands the spans {@code flush} kept for {@code invocation} (request {@code requestId}) to the
   * extension, to export within {@code timeoutMillis} from now, and returns at once; false when
   * there is no extension or no request id: then the caller exports them itself. On Lambda
   * Managed Instances, queues them for the {@link BackgroundExport} thread instead (false when its
   * queue is full).
   */
  static boolean handOff(
      String requestId,
      TelemetryFlush flush,
      TelemetryFlush.Invocation invocation,
      long timeoutMillis) {
    LambdaExtension extension = active;
    if (extension == null) {
      BackgroundExport export = background;
      return export != null && export.offer(flush, invocation, timeoutMillis);
    }
    if (requestId == null) {
      return false;
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, timeoutMillis));
    HandOff handOff = new HandOff(flush, invocation, deadline);
    synchronized (extension) {
      if (extension.handedOff.size() >= MAX_WAITING) {
        // The extension is not taking them (Lambda stopped answering its next): export here.
        return false;
      }
      extension.handedOff.put(requestId, handOff);
      extension.notifyAll();
    }
    return true;
  }

  // ---------------------------------------------------------------------------------- thread

  /** The thread's loop: never returns. */
  void run() {
    long pauseMillis = 0;
    while (true) {
      String event;
      try {
        event = events.next();
        pauseMillis = 0;
      } catch (Throwable failure) {
        Failures.report("asking Lambda for the extension's next event (it asks again)", failure);
        pauseMillis = Math.min(MAX_PAUSE_MILLIS, Math.max(10, pauseMillis * 2));
        pause(pauseMillis);
        continue;
      }
      try {
        serve(event);
      } catch (Throwable failure) {
        Failures.report("exporting spans after the response (the extension goes on)", failure);
      }
    }
  }

  /**
   * Waits for the hand-off of the event's invocation, then exports what was handed over: that
   * invocation's spans, and any an earlier invocation handed over too late for its own event.
   */
  void serve(String event) {
    String requestId = ExtensionsApiClient.requestId(event);
    if (requestId == null) {
      return;
    }
    long deadlineMs = ExtensionsApiClient.deadlineMs(event);
    long waitMillis =
        deadlineMs > 0
            ? deadlineMs - DEADLINE_MARGIN_MILLIS - System.currentTimeMillis()
            : NO_DEADLINE_WAIT_MILLIS;
    List<HandOff> toExport = take(requestId, waitMillis);
    for (HandOff handOff : toExport) {
      long left = TimeUnit.NANOSECONDS.toMillis(handOff.deadlineNanos - System.nanoTime());
      try {
        BatonTelemetry.flush(handOff.flush, handOff.kept, left);
      } catch (Throwable failure) {
        Failures.report("exporting spans after the response (the extension goes on)", failure);
      }
      exported++;
    }
  }

  /** Waits at most {@code waitMillis} for {@code requestId}'s hand-off; takes every hand-off. */
  private synchronized List<HandOff> take(String requestId, long waitMillis) {
    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, waitMillis));
    while (!handedOff.containsKey(requestId)) {
      long left = until - System.nanoTime();
      if (left <= 0) {
        break;
      }
      try {
        TimeUnit.NANOSECONDS.timedWait(this, left);
      } catch (InterruptedException ignored) {
        // Nothing stops the extension: it waits on.
      }
    }
    if (handedOff.isEmpty()) {
      return List.of();
    }
    List<HandOff> taken = new ArrayList<>(handedOff.values());
    handedOff.clear();
    return taken;
  }

  /** How many hand-offs this extension exported (or tried to). */
  long exported() {
    return exported;
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException ignored) {
      // The loop goes on whatever happens.
    }
  }

  /** The thread's task; a class, not a lambda, to keep the cold path short. */
  private static final class Loop implements Runnable {
    private final LambdaExtension extension;

    Loop(LambdaExtension extension) {
      this.extension = extension;
    }

    @Override
    public void run() {
      extension.run();
    }
  }

  /** The events of the Extensions API. */
  private static final class ApiEvents implements Events {
    private final ExtensionsApiClient client;
    private final String identifier;

    ApiEvents(ExtensionsApiClient client, String identifier) {
      this.client = client;
      this.identifier = identifier;
    }

    @Override
    public String next() throws IOException {
      return client.next(identifier);
    }
  }
}
