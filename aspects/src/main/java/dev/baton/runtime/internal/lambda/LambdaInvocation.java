package dev.baton.runtime.internal.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.ApplicationLoadBalancerRequestEvent;
import com.amazonaws.services.lambda.runtime.events.ApplicationLoadBalancerResponseEvent;
import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.baton.runtime.internal.Arns;
import dev.baton.runtime.internal.BatonTelemetry;
import dev.baton.runtime.internal.Failures;
import dev.baton.runtime.internal.SemanticConventions;
import dev.baton.runtime.internal.TelemetryFlush;
import dev.baton.runtime.internal.TracedMethods;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>One Lambda invocation's span and its scope, for the advice that the processor generates
 * around a {@code @TracedHandler}. The processor picks the start from the handler's event type
 * and the end from its response type at compile time, so nothing is probed at run time:
 *
 * <pre>{@code
 * LambdaInvocation invocation = LambdaInvocation.startSqs(event, context);
 * try {
 *   SQSBatchResponse response = proceed(event, context);
 *   invocation.endSqs(response);        // records, ends, flushes
 *   return response;
 * } catch (Throwable failure) {
 *   invocation.end(failure);            // records the exception, ends, flushes
 *   throw TracedMethods.rethrow(failure);
 * }
 * }</pre>
 *
 * <p>Every start makes the span current, parented by the caller's context: the event's own
 * (headers, message attributes), else the client context's {@code custom} map, else Lambda's
 * X-Ray header when sampled, else none (a new trace). Every end closes the scope, ends the span
 * and has the telemetry exported within {@code BATON_FLUSH_TIMEOUT_MS}: after the response by
 * Baton's Lambda extension ({@link LambdaExtension}) where it is registered, else before it
 * returns.
 * No method throws, whatever the input (a null event or context included); each tracing step has
 * its own {@code try} and hands failures to {@link Failures}.
 */
public final class LambdaInvocation {

  /** {@code faas.trigger} for {@code ScheduledEvent} handlers. */
  public static final String TIMER = SemanticConventions.FAAS_TRIGGER_TIMER;

  /** {@code faas.trigger} for DynamoDB, Kinesis and S3 event handlers. */
  public static final String DATASOURCE = SemanticConventions.FAAS_TRIGGER_DATASOURCE;

  /** {@code faas.trigger} for any other event: POJOs, maps, streams. */
  public static final String OTHER = SemanticConventions.FAAS_TRIGGER_OTHER;

  /**
   * How many messages of an SQS batch response failed ({@code batchItemFailures}); each failure
   * is also an event {@value #BATCH_ITEM_FAILURE_EVENT} with its {@code messaging.message.id}.
   */
  public static final AttributeKey<Long> BATCH_ITEM_FAILURES =
      AttributeKey.longKey("baton.batch_item_failures");

  public static final String BATCH_ITEM_FAILURE_EVENT = "batch item failure";

  /** The span name part for an SQS or SNS batch that came from several queues or topics. */
  static final String MULTIPLE_SOURCES = "multiple_sources";

  private static final int MAX_FAILURE_EVENTS = 100;

  private static final Set<String> KNOWN_METHODS =
      Set.of("CONNECT", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT", "TRACE");

  /** {@code AWS_REGION}, read once (null when unset or empty): the ARN's region otherwise. */
  private static final String ENV_REGION = environment("AWS_REGION");

  /** {@code AWS_LAMBDA_FUNCTION_VERSION}, read once: what replaces an alias in the resource id. */
  private static final String ENV_VERSION = environment("AWS_LAMBDA_FUNCTION_VERSION");

  private final Span span;
  private final Scope scope;
  private final com.amazonaws.services.lambda.runtime.Context lambdaContext;
  private final TelemetryFlush flush;
  private final TelemetryFlush.Invocation kept;
  private Scope alsoAtEnd;
  private boolean ended;

  private LambdaInvocation(
      Span span,
      Scope scope,
      com.amazonaws.services.lambda.runtime.Context lambdaContext,
      TelemetryFlush flush,
      TelemetryFlush.Invocation kept) {
    this.span = span;
    this.scope = scope;
    this.lambdaContext = lambdaContext;
    this.flush = flush;
    this.kept = kept;
    if (lambdaContext != null) {
      try {
        // Baton's Lambda extension waits for the end of an invocation it knows has started.
        LambdaExtension.started(lambdaContext.getAwsRequestId());
      } catch (Throwable failure) {
        Failures.report("telling Baton's Lambda extension the invocation started", failure);
      }
    }
  }

  // ---------------------------------------------------------------------------------- starts

  /** An API Gateway REST API (proxy integration) request: a SERVER span {@code METHOD route}. */
  public static LambdaInvocation startApiGateway(
      APIGatewayProxyRequestEvent event, com.amazonaws.services.lambda.runtime.Context context) {
    boolean coldStart = ColdStart.take();
    try {
      if (event == null) {
        return start(Http.of(null, null, null, null), coldStart, context);
      }
      TreeMap<String, List<String>> headers =
          Carriers.headers(event.getHeaders(), event.getMultiValueHeaders());
      return start(
          Http.of(event.getHttpMethod(), event.getResource(), event.getPath(), headers),
          coldStart,
          context);
    } catch (Throwable failure) {
      return failed(failure, context);
    }
  }

  /** An API Gateway HTTP API (payload 2.0) or function URL request: a SERVER span. */
  public static LambdaInvocation startHttpApi(
      APIGatewayV2HTTPEvent event, com.amazonaws.services.lambda.runtime.Context context) {
    boolean coldStart = ColdStart.take();
    try {
      if (event == null) {
        return start(Http.of(null, null, null, null), coldStart, context);
      }
      TreeMap<String, List<String>> headers = Carriers.headers(event.getHeaders(), null);
      String method = null;
      if (event.getRequestContext() != null && event.getRequestContext().getHttp() != null) {
        method = event.getRequestContext().getHttp().getMethod();
      }
      return start(
          Http.of(method, routeOf(event.getRouteKey()), event.getRawPath(), headers),
          coldStart,
          context);
    } catch (Throwable failure) {
      return failed(failure, context);
    }
  }

  /** An Application Load Balancer request: a SERVER span {@code METHOD} (ALB has no routes). */
  public static LambdaInvocation startAlb(
      ApplicationLoadBalancerRequestEvent event,
      com.amazonaws.services.lambda.runtime.Context context) {
    boolean coldStart = ColdStart.take();
    try {
      if (event == null) {
        return start(Http.of(null, null, null, null), coldStart, context);
      }
      TreeMap<String, List<String>> headers =
          Carriers.headers(event.getHeaders(), event.getMultiValueHeaders());
      return start(Http.of(event.getHttpMethod(), null, event.getPath(), headers), coldStart, context);
    } catch (Throwable failure) {
      return failed(failure, context);
    }
  }

  /**
   * An SQS batch: a CONSUMER span {@code process <queue>}. Messages that share one context
   * parent it; several distinct contexts become links.
   */
  public static LambdaInvocation startSqs(
      SQSEvent event, com.amazonaws.services.lambda.runtime.Context context) {
    boolean coldStart = ColdStart.take();
    try {
      Batch batch = new Batch(SemanticConventions.MESSAGING_SYSTEM_AWS_SQS);
      List<SQSEvent.SQSMessage> records = event == null ? null : event.getRecords();
      if (records != null) {
        for (SQSEvent.SQSMessage message : records) {
          if (message != null) {
            batch.add(IncomingContext.fromSqsMessage(message), Arns.lastPart(message.getEventSourceArn()));
          }
        }
      }
      return start(batch, coldStart, context);
    } catch (Throwable failure) {
      return failed(failure, context);
    }
  }

  /** An SNS notification: a CONSUMER span {@code process <topic>}, parented like SQS. */
  public static LambdaInvocation startSns(
      SNSEvent event, com.amazonaws.services.lambda.runtime.Context context) {
    boolean coldStart = ColdStart.take();
    try {
      Batch batch = new Batch(SemanticConventions.MESSAGING_SYSTEM_AWS_SNS);
      List<SNSEvent.SNSRecord> records = event == null ? null : event.getRecords();
      if (records != null) {
        for (SNSEvent.SNSRecord record : records) {
          if (record != null) {
            String topicArn = record.getSNS() == null ? null : record.getSNS().getTopicArn();
            batch.add(IncomingContext.fromSnsRecord(record), Arns.lastPart(topicArn));
          }
        }
      }
      return start(batch, coldStart, context);
    } catch (Throwable failure) {
      return failed(failure, context);
    }
  }

  /**
   * Any other event: a SERVER span named after the function, {@code faas.trigger} {@code
   * faasTrigger} ({@link #TIMER}, {@link #DATASOURCE} or {@link #OTHER}), parented by the
   * client context or Lambda's X-Ray header.
   */
  public static LambdaInvocation startOther(
      String faasTrigger, com.amazonaws.services.lambda.runtime.Context context) {
    boolean coldStart = ColdStart.take();
    try {
      String trigger = faasTrigger == null ? OTHER : faasTrigger;
      return start(
          Names.functionName(context),
          SpanKind.SERVER,
          trigger,
          null,
          null,
          List.of(),
          coldStart,
          context);
    } catch (Throwable failure) {
      return failed(failure, context);
    }
  }

  // ------------------------------------------------------------------------------------ ends

  /** The handler returned {@code response} to API Gateway (REST). */
  public void endApiGateway(APIGatewayProxyResponseEvent response) {
    Integer status = null;
    try {
      status = response == null ? null : response.getStatusCode();
    } catch (Throwable failure) {
      Failures.report("reading the HTTP response status", failure);
    }
    endHttp(status);
  }

  /** The handler returned {@code response} to an HTTP API or function URL. */
  public void endHttpApi(APIGatewayV2HTTPResponse response) {
    Integer status = null;
    try {
      status = response == null ? null : response.getStatusCode();
    } catch (Throwable failure) {
      Failures.report("reading the HTTP response status", failure);
    }
    endHttp(status);
  }

  /** The handler returned {@code response} to an Application Load Balancer. */
  public void endAlb(ApplicationLoadBalancerResponseEvent response) {
    Integer status = null;
    try {
      status = response == null ? null : response.getStatusCode();
    } catch (Throwable failure) {
      Failures.report("reading the HTTP response status", failure);
    }
    endHttp(status);
  }

  /**
   * The handler returned an SQS batch response: its item failures are recorded ({@link
   * #BATCH_ITEM_FAILURES} and one event per failed message). With at least one, the invocation
   * failed: status ERROR (Lambda retries those messages), and its spans are exported even where
   * the sampler dropped them.
   */
  public void endSqs(SQSBatchResponse response) {
    if (!ended) {
      try {
        List<SQSBatchResponse.BatchItemFailure> failures =
            response == null ? null : response.getBatchItemFailures();
        if (failures != null) {
          span.setAttribute(BATCH_ITEM_FAILURES, (long) failures.size());
          if (!failures.isEmpty()) {
            span.setStatus(
                StatusCode.ERROR,
                failures.size() == 1
                    ? "1 message of the batch failed"
                    : failures.size() + " messages of the batch failed");
            failed();
          }
          int events = 0;
          for (SQSBatchResponse.BatchItemFailure failure : failures) {
            if (failure != null && events++ < MAX_FAILURE_EVENTS) {
              span.addEvent(
                  BATCH_ITEM_FAILURE_EVENT,
                  Attributes.of(
                      SemanticConventions.MESSAGING_MESSAGE_ID,
                      String.valueOf(failure.getItemIdentifier())));
            }
          }
        }
      } catch (Throwable failure) {
        Failures.report("recording SQS batch item failures", failure);
      }
    }
    end();
  }

  /** The handler returned normally (any other response type, or none). */
  public void end() {
    if (ended) {
      return;
    }
    endWithoutFlush();
    flush();
  }

  /**
   * Closes the scopes and ends the span, without the export (a priming invocation, which {@link
   * LambdaExtension#endPriming} hands over instead); what the invocation kept.
   */
  TelemetryFlush.Invocation endWithoutFlush() {
    ended = true;
    if (alsoAtEnd != null) {
      try {
        alsoAtEnd.close();
      } catch (Throwable failure) {
        Failures.report("closing what the invocation attached", failure);
      }
    }
    try {
      scope.close();
    } catch (Throwable failure) {
      Failures.report("closing the invocation's scope", failure);
    }
    try {
      span.end();
    } catch (Throwable failure) {
      Failures.report("ending the invocation span", failure);
    }
    return kept;
  }

  /** The flush this invocation began with (null: none). */
  TelemetryFlush flushInUse() {
    return flush;
  }

  /**
   * The handler threw {@code failure}: records it (an {@code exception} event, status ERROR,
   * {@code error.type}) and ends. The caller rethrows the same object.
   */
  public void end(Throwable failure) {
    if (!ended) {
      TracedMethods.recordFailure(span, failure);
      failed();
    }
    end();
  }

  /** The invocation failed: what it kept is exported even where the sampler dropped it. */
  private void failed() {
    if (kept != null) {
      try {
        kept.failed();
      } catch (Throwable failure) {
        Failures.report("marking the invocation failed", failure);
      }
    }
  }

  /**
   * Closes {@code scope} too when the invocation ends, before its own: what the generated code
   * attaches around the invocation (the span's ids in the logging library's thread context).
   */
  public void closeAtEnd(Scope scope) {
    alsoAtEnd = alsoAtEnd == null ? scope : new Closing(scope, alsoAtEnd);
  }

  /** Two scopes closed in turn, the later attached first. */
  private static final class Closing implements Scope {
    private final Scope first;
    private final Scope then;

    Closing(Scope first, Scope then) {
      this.first = first;
      this.then = then;
    }

    @Override
    public void close() {
      try {
        first.close();
      } finally {
        then.close();
      }
    }
  }

  /** The invocation span (invalid when starting it failed). */
  public Span span() {
    return span;
  }

  private void endHttp(Integer status) {
    if (!ended && status != null) {
      try {
        span.setAttribute(SemanticConventions.HTTP_RESPONSE_STATUS_CODE, (long) status);
        if (status >= 500) {
          span.setStatus(StatusCode.ERROR);
          span.setAttribute(SemanticConventions.ERROR_TYPE, String.valueOf(status));
          failed();
        }
      } catch (Throwable failure) {
        Failures.report("recording the HTTP response status", failure);
      }
    }
    end();
  }

  /**
   * Exports what the invocation kept within {@code BATON_FLUSH_TIMEOUT_MS}: after the response,
   * handed to Baton's Lambda extension when one is registered, else here, before returning.
   */
  private void flush() {
    try {
      long remaining = 0;
      String requestId = null;
      if (lambdaContext != null) {
        remaining = lambdaContext.getRemainingTimeInMillis();
        requestId = lambdaContext.getAwsRequestId();
      }
      long timeout = FlushTimeout.forRemaining(remaining);
      if (!LambdaExtension.handOff(requestId, flush, kept, timeout)) {
        BatonTelemetry.flush(flush, kept, timeout);
      }
    } catch (Throwable failure) {
      Failures.report("flushing telemetry", failure);
    }
  }

  // ------------------------------------------------------------------------------- building

  private static LambdaInvocation start(
      Http http, boolean coldStart, com.amazonaws.services.lambda.runtime.Context context) {
    return start(
        http.spanName(),
        SpanKind.SERVER,
        SemanticConventions.FAAS_TRIGGER_HTTP,
        http,
        IncomingContext.fromCarrier(http.headers, "HTTP headers"),
        List.of(),
        coldStart,
        context);
  }

  private static LambdaInvocation start(
      Batch batch, boolean coldStart, com.amazonaws.services.lambda.runtime.Context context) {
    return start(
        batch.spanName(),
        SpanKind.CONSUMER,
        SemanticConventions.FAAS_TRIGGER_PUBSUB,
        batch,
        batch.sharedParent(),
        batch.links(),
        coldStart,
        context);
  }

  private static LambdaInvocation start(
      String name,
      SpanKind kind,
      String trigger,
      EventAttributes eventAttributes,
      Context incoming,
      List<SpanContext> links,
      boolean coldStart,
      com.amazonaws.services.lambda.runtime.Context context) {
    Context parent = incoming;
    if (BatonTelemetry.lambdaXrayParentFirst()) {
      // Spans go to X-Ray: Lambda's own segment is the parent, the caller's context a link.
      if (parent == null) {
        parent = IncomingContext.fromClientContext(context);
      }
      Context lambda = IncomingContext.fromLambdaXrayHeader(context);
      if (lambda != null) {
        SpanContext caller = parent == null ? null : IncomingContext.spanContext(parent);
        if (caller != null && caller.isValid() && !caller.equals(IncomingContext.spanContext(lambda))) {
          List<SpanContext> withCaller = new ArrayList<>(links.size() + 1);
          withCaller.add(caller);
          withCaller.addAll(links);
          links = withCaller;
        }
        parent = parent == null ? lambda : parent.with(Span.fromContext(lambda));
      }
    }
    if (parent == null) {
      parent = IncomingContext.fromLambda(context);
    }
    if (parent == null) {
      parent = Context.root();
    }
    // What this invocation keeps (its spans, exported at its end): carried in its context, so
    // that every span started in it, on any thread the context goes to, is this invocation's.
    TelemetryFlush flush = BatonTelemetry.currentFlush();
    TelemetryFlush.Invocation kept = null;
    if (flush != null) {
      try {
        kept = flush.begin();
      } catch (Throwable failure) {
        Failures.report("keeping the invocation's spans", failure);
      }
    }
    if (kept != null) {
      parent = parent.with(TelemetryFlush.INVOCATION, kept);
    }
    SpanBuilder builder =
        BatonTelemetry.tracer().spanBuilder(name).setSpanKind(kind).setParent(parent);
    if (eventAttributes != null) {
      eventAttributes.addTo(builder);
    }
    builder.setAttribute(SemanticConventions.FAAS_TRIGGER, trigger);
    builder.setAttribute(SemanticConventions.FAAS_COLDSTART, coldStart);
    builder.setAttribute(SemanticConventions.CLOUD_PROVIDER, SemanticConventions.CLOUD_PROVIDER_AWS);
    try {
      addLambdaAttributes(builder, context);
    } catch (Throwable failure) {
      Failures.report("reading the Lambda context", failure);
    }
    for (SpanContext link : links) {
      builder.addLink(link);
    }
    Span span = builder.startSpan();
    Scope scope;
    try {
      scope = parent.with(span).makeCurrent();
    } catch (Throwable failure) {
      Failures.report("making the invocation span current", failure);
      scope = Scope.noop();
    }
    return new LambdaInvocation(span, scope, context, flush, kept);
  }

  private static void addLambdaAttributes(
      SpanBuilder builder, com.amazonaws.services.lambda.runtime.Context context) {
    String arn = context == null ? null : context.getInvokedFunctionArn();
    ArnAttributes fromArn = ArnAttributes.of(arn);
    String region = ENV_REGION != null ? ENV_REGION : fromArn.region;
    if (region != null) {
      builder.setAttribute(SemanticConventions.CLOUD_REGION, region);
    }
    if (context == null) {
      return;
    }
    String requestId = context.getAwsRequestId();
    if (requestId != null) {
      builder.setAttribute(SemanticConventions.FAAS_INVOCATION_ID, requestId);
    }
    if (arn != null) {
      builder.setAttribute(SemanticConventions.CLOUD_RESOURCE_ID, fromArn.resourceId);
      builder.setAttribute(SemanticConventions.AWS_LAMBDA_INVOKED_ARN, arn);
    }
    if (fromArn.account != null) {
      builder.setAttribute(SemanticConventions.CLOUD_ACCOUNT_ID, fromArn.account);
    }
  }

  /**
   * What the invoked ARN says (region, account, the function's resource id), worked out once per
   * ARN: a function is invoked through the same one or two ARNs over and over. The last one is
   * kept, immutable, so that invocations running at once (Lambda Managed Instances) share it
   * safely.
   */
  private static final class ArnAttributes {
    private static final ArnAttributes NONE = new ArnAttributes(null);
    private static volatile ArnAttributes last = NONE;

    final String arn;
    final String region;
    final String account;
    final String resourceId;

    private ArnAttributes(String arn) {
      this.arn = arn;
      region = Arns.part(arn, 3);
      account = Arns.part(arn, 4);
      resourceId = arn == null ? null : Arns.functionResourceId(arn, ENV_VERSION);
    }

    static ArnAttributes of(String arn) {
      if (arn == null) {
        return NONE;
      }
      ArnAttributes known = last;
      if (arn.equals(known.arn)) {
        return known;
      }
      ArnAttributes worked = new ArnAttributes(arn);
      last = worked;
      return worked;
    }
  }

  private static LambdaInvocation failed(
      Throwable failure, com.amazonaws.services.lambda.runtime.Context context) {
    Failures.report("starting the invocation span", failure);
    return new LambdaInvocation(
        Span.getInvalid(), Scope.noop(), context, BatonTelemetry.currentFlush(), null);
  }

  /**
   * An environment variable, null when unset or empty. Never throws: a failure here would fail
   * this class's initialisation, and every start.
   */
  private static String environment(String name) {
    try {
      String value = System.getenv(name);
      return value == null || value.isEmpty() ? null : value;
    } catch (Throwable failure) {
      Failures.report("reading " + name, failure);
      return null;
    }
  }

  /** {@code POST /orders} gives {@code /orders}; {@code $default} has no route. */
  static String routeOf(String routeKey) {
    if (routeKey == null) {
      return null;
    }
    int space = routeKey.indexOf(' ');
    return space < 0 ? null : routeKey.substring(space + 1);
  }

  /**
   * What an event adds to the invocation span's attributes. Written straight into the span
   * builder: {@link SpanBuilder#setAllAttributes} would spin a lambda on the first invocation.
   */
  private interface EventAttributes {
    void addTo(SpanBuilder builder);
  }

  /** The HTTP request of an API Gateway or ALB event. */
  private static final class Http implements EventAttributes {
    final String method;
    final String route;
    final String path;
    final TreeMap<String, List<String>> headers;

    private Http(String method, String route, String path, TreeMap<String, List<String>> headers) {
      this.method = method;
      this.route = route;
      this.path = path;
      this.headers = headers;
    }

    static Http of(String method, String route, String path, TreeMap<String, List<String>> headers) {
      return new Http(
          method == null ? null : method.toUpperCase(java.util.Locale.ROOT),
          route == null || route.isEmpty() ? null : route,
          path,
          headers == null ? Carriers.newCarrier() : headers);
    }

    boolean knownMethod() {
      return method != null && KNOWN_METHODS.contains(method);
    }

    String spanName() {
      String prefix = knownMethod() ? method : "HTTP";
      return route == null ? prefix : prefix + " " + route;
    }

    @Override
    public void addTo(SpanBuilder builder) {
      if (knownMethod()) {
        builder.setAttribute(SemanticConventions.HTTP_REQUEST_METHOD, method);
      } else if (method != null) {
        builder.setAttribute(
            SemanticConventions.HTTP_REQUEST_METHOD, SemanticConventions.HTTP_REQUEST_METHOD_OTHER);
        builder.setAttribute(SemanticConventions.HTTP_REQUEST_METHOD_ORIGINAL, method);
      }
      if (route != null) {
        builder.setAttribute(SemanticConventions.HTTP_ROUTE, route);
      }
      if (path != null) {
        builder.setAttribute(SemanticConventions.URL_PATH, path);
      }
      String scheme = Carriers.first(headers, "X-Forwarded-Proto");
      if (scheme != null) {
        builder.setAttribute(SemanticConventions.URL_SCHEME, scheme);
      }
      String userAgent = Carriers.first(headers, "User-Agent");
      if (userAgent != null) {
        builder.setAttribute(SemanticConventions.USER_AGENT_ORIGINAL, userAgent);
      }
    }
  }

  /** The messages of an SQS or SNS event: their distinct contexts and where they came from. */
  private static final class Batch implements EventAttributes {
    final String system;
    final Map<String, Context> contexts = new LinkedHashMap<>();
    String source;
    boolean multipleSources;
    long count;

    Batch(String system) {
      this.system = system;
    }

    void add(Context context, String from) {
      count++;
      if (from != null) {
        if (source == null) {
          source = from;
        } else if (!source.equals(from)) {
          multipleSources = true;
        }
      }
      if (context != null) {
        SpanContext spanContext = IncomingContext.spanContext(context);
        contexts.putIfAbsent(spanContext.getTraceId() + spanContext.getSpanId(), context);
      }
    }

    String spanName() {
      return MessageSpans.processSpanName(multipleSources ? MULTIPLE_SOURCES : source);
    }

    @Override
    public void addTo(SpanBuilder builder) {
      MessageSpans.addProcessAttributes(builder, system, multipleSources ? null : source);
      builder.setAttribute(SemanticConventions.MESSAGING_BATCH_MESSAGE_COUNT, count);
    }

    /** The one context all messages that carry one share, or null. */
    Context sharedParent() {
      return contexts.size() == 1 ? contexts.values().iterator().next() : null;
    }

    List<SpanContext> links() {
      if (contexts.size() < 2) {
        return List.of();
      }
      List<SpanContext> links = new ArrayList<>(contexts.size());
      for (Context context : contexts.values()) {
        links.add(IncomingContext.spanContext(context));
      }
      return links;
    }
  }
}
