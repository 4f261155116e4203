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
import java.util.LinkedHashMap;
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
 *       AWS_LAMBDA_RUNTIME_API} is set and spans are to go out after the response ({@link
 *       ExportTiming}: not with {@code BATON_EXPORT=before-response}, nor by default for X-Ray).
 *       When Lambda refuses it, or it fails, Baton says so once and exports before the response,
 *       as without the extension.
 *   <li><b>Lambda Managed Instances</b> ({@code AWS_LAMBDA_MAX_CONCURRENCY}): no freeze there,
 *       and Lambda lets an internal extension subscribe to no event, so nothing registers; a
 *       {@link BackgroundExport} thread exports after the responses instead.
 *   <li><b>Each invocation</b>: Lambda hands {@code INVOKE} (its request id and deadline) to the
 *       runtime and to this thread at once. The invocation's start {@linkplain #started says so},
 *       and its end {@linkplain #handOff hands its spans over}, keyed by request id, and returns
 *       to the caller. This thread waits for the start at most {@code BATON_FLUSH_TIMEOUT_MS} (an
 *       invocation that never reaches a {@code @TracedHandler} method, an event the runtime could
 *       not read, say, holds the environment no longer than that), then for the end of every
 *       invocation started under the request (at most until {@value #DEADLINE_MARGIN_MILLIS} ms
 *       before the invocation's deadline, so that Lambda never resets the environment for it),
 *       exports by the deadline each set at its end ({@code BATON_FLUSH_TIMEOUT_MS} from then), and
 *       asks for its next event. An invocation that starts or ends after the thread is done with
 *       its request exports its own spans, before its response.
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
   * At most this many requests are under way with the extension (one at a time, as Lambda hands
   * them over; more only when invocations run outside its events, during init, say, or it cannot
   * get events): an invocation beyond them exports its own spans.
   */
  static final int MAX_WAITING = 16;

  /** How many requests the extension is done with it remembers. */
  private static final int CLOSED_REMEMBERED = 64;

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

  /**
   * A request the extension serves or invocations run under: how many invocations started under
   * it and have not handed over yet (a handler may call another {@code @TracedHandler} method with
   * the same context), and what they handed over.
   */
  private static final class Request {
    int running;
    boolean started;
    final List<HandOff> handedOff = new ArrayList<>();
  }

  private final Events events;

  /** Requests under way, by request id; guarded by this. */
  private final Map<String, Request> requests = new HashMap<>();

  /**
   * Requests the extension is done with (exported, or stopped waiting for), by request id, the
   * last {@value #CLOSED_REMEMBERED}: an invocation that starts or ends under one later exports its
   * own spans; guarded by this.
   */
  private final Map<String, Boolean> closed = new LinkedHashMap<>(16, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > CLOSED_REMEMBERED;
    }
  };

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
      if (extension != null && handOff(PRIMING_REQUEST_ID, flush, kept, timeout)) {
        // The invocation's start counted it (its context's request id is the priming one).
        extension.serve(
            "{\"eventType\":\"INVOKE\",\"deadlineMs\":"
                + (System.currentTimeMillis() + timeout + DEADLINE_MARGIN_MILLIS)
                + ",\"requestId\":\"" + PRIMING_REQUEST_ID + "\"}",
            false);
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
   * An invocation of request {@code requestId} started: the extension, which waits a while for
   * one to start once it has the request's event, then waits for its end (and for the end of any
   * other invocation started under the same request) before it exports. Not counted when the
   * extension is done with the request already (the invocation started too late: it exports its
   * own spans), when {@value #MAX_WAITING} requests are under way, or when there is no extension.
   * Never throws.
   */
  static void started(String requestId) {
    LambdaExtension extension = active;
    if (extension == null || requestId == null) {
      return;
    }
    synchronized (extension) {
      if (extension.closed.containsKey(requestId)) {
        return;
      }
      Request request = extension.requests.get(requestId);
      if (request == null) {
        if (extension.requests.size() >= MAX_WAITING) {
          return;
        }
        request = new Request();
        extension.requests.put(requestId, request);
      }
      request.running++;
      request.started = true;
      // No wake-up: the extension learns of the start when it next looks (at the end's
      // hand-off, or when its wait for a start runs out), so that the start does not wake it
      // to take CPU from the invocation.
    }
  }

  /**
   * Hands the spans {@code flush} kept for {@code invocation} (request {@code requestId}) to the
   * extension, to export within {@code timeoutMillis} from now, and returns at once; false when
   * the extension is not waiting for it (none registered, no request id, the invocation's start
   * was not counted, or the extension stopped waiting for the request): then the caller exports
   * them itself. On Lambda Managed Instances, queues them for the {@link BackgroundExport} thread
   * instead (false when its queue is full).
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
    synchronized (extension) {
      Request request = extension.requests.get(requestId);
      if (request == null || request.running <= 0) {
        return false;
      }
      request.running--;
      request.handedOff.add(new HandOff(flush, invocation, deadline));
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
   * Serves an {@code INVOKE} event: waits for an invocation of its request to start (at most
   * {@code BATON_FLUSH_TIMEOUT_MS}: the runtime got the event at the same moment, and one that
   * never reaches a {@code @TracedHandler} method, an event the runtime could not read, say, must
   * not hold the environment), then for every invocation started under it to end (at most until
   * {@value #DEADLINE_MARGIN_MILLIS} ms before the invocation's deadline, so that Lambda never
   * resets the environment for it), and exports what they handed over; then what invocations of
   * no request it served handed over (run during init, say).
   */
  void serve(String event) {
    serve(event, true);
  }

  private void serve(String event, boolean withOthers) {
    String requestId = ExtensionsApiClient.requestId(event);
    if (requestId == null) {
      return;
    }
    long deadlineMs = ExtensionsApiClient.deadlineMs(event);
    long untilDeadline =
        deadlineMs > 0
            ? deadlineMs - DEADLINE_MARGIN_MILLIS - System.currentTimeMillis()
            : NO_DEADLINE_WAIT_MILLIS;
    long startWait = Math.min(untilDeadline, FlushTimeout.configuredMillis());
    List<HandOff> toExport = take(requestId, startWait, untilDeadline);
    for (HandOff handOff : toExport) {
      export(handOff, TimeUnit.NANOSECONDS.toMillis(handOff.deadlineNanos - System.nanoTime()));
    }
    if (withOthers) {
      // Their own deadlines may be long past: each gets the flush timeout from now, within this
      // invocation's time.
      long timeout = Math.min(FlushTimeout.configuredMillis(), Math.max(0, untilDeadline));
      for (HandOff handOff : takeOthers()) {
        export(handOff, timeout);
      }
    }
  }

  private void export(HandOff handOff, long timeoutMillis) {
    try {
      BatonTelemetry.flush(handOff.flush, handOff.kept, timeoutMillis);
    } catch (Throwable failure) {
      Failures.report("exporting spans after the response (the extension goes on)", failure);
    }
    exported++;
  }

  /**
   * Waits at most {@code startWaitMillis} for an invocation of {@code requestId} to start, then
   * at most {@code endWaitMillis} (both from now) for every one started to end; closes the request
   * and takes what was handed over.
   */
  private synchronized List<HandOff> take(String requestId, long startWaitMillis, long endWaitMillis) {
    long now = System.nanoTime();
    long startUntil = now + TimeUnit.MILLISECONDS.toNanos(Math.max(0, startWaitMillis));
    long endUntil = now + TimeUnit.MILLISECONDS.toNanos(Math.max(0, endWaitMillis));
    while (true) {
      Request request = requests.get(requestId);
      boolean started = request != null && request.started;
      if (started && request.running <= 0) {
        break;
      }
      long left = (started ? endUntil : startUntil) - System.nanoTime();
      if (left <= 0) {
        break;
      }
      try {
        TimeUnit.NANOSECONDS.timedWait(this, left);
      } catch (InterruptedException ignored) {
        // Nothing stops the extension: it waits on.
      }
    }
    closed.put(requestId, Boolean.TRUE);
    Request request = requests.remove(requestId);
    return request == null ? List.of() : request.handedOff;
  }

  /**
   * Takes what invocations of requests this extension has not served handed over, once all of
   * each request's invocations ended: requests whose event never came (invocations during init).
   */
  private synchronized List<HandOff> takeOthers() {
    List<HandOff> taken = new ArrayList<>();
    for (var iterator = requests.values().iterator(); iterator.hasNext(); ) {
      Request request = iterator.next();
      if (request.running <= 0) {
        taken.addAll(request.handedOff);
        iterator.remove();
      }
    }
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
