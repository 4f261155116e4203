package dev.baton.runtime.internal.lambda;

import dev.baton.runtime.internal.Arns;
import dev.baton.runtime.internal.BatonTelemetry;
import dev.baton.runtime.internal.Failures;
import dev.baton.runtime.internal.SemanticConventions;
import dev.baton.runtime.internal.TelemetryFlush;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.ArrayList;
import java.util.List;

/**
 * How every invocation span starts, whatever the trigger: its parent (the event's context, else
 * the client context's, else Lambda's sampled X-Ray header; with X-Ray as the destination,
 * Lambda's segment first and the caller's context a link), what the invocation keeps for its
 * export, the attributes every invocation has ({@code faas.*}, {@code cloud.*}) and the event's
 * own ({@link EventAttributes}), and the scope that makes it current.
 */
final class InvocationStart {

  /** {@code AWS_REGION}, read once (null when unset or empty): the ARN's region otherwise. */
  private static final String ENV_REGION = environment("AWS_REGION");

  /** {@code AWS_LAMBDA_FUNCTION_VERSION}, read once: what replaces an alias in the resource id. */
  private static final String ENV_VERSION = environment("AWS_LAMBDA_FUNCTION_VERSION");

  private InvocationStart() {}

  /**
   * What an event adds to the invocation span's attributes. Written straight into the span
   * builder: {@link SpanBuilder#setAllAttributes} would spin a lambda on the first invocation.
   */
  interface EventAttributes {
    void addTo(SpanBuilder builder);
  }

  /** An HTTP request's invocation: a SERVER span, parented by the request's headers. */
  static LambdaInvocation http(
      HttpRequest http, boolean coldStart, com.amazonaws.services.lambda.runtime.Context context) {
    return start(
        http.spanName(),
        SpanKind.SERVER,
        SemanticConventions.FAAS_TRIGGER_HTTP,
        http,
        IncomingContext.fromCarrier(http.headers, "HTTP headers"),
        List.of(),
        null,
        coldStart,
        context);
  }

  /** A message batch's invocation: a CONSUMER span, parented or linked by the messages. */
  static LambdaInvocation messages(
      MessageBatch batch, boolean coldStart, com.amazonaws.services.lambda.runtime.Context context) {
    return start(
        batch.spanName(),
        SpanKind.CONSUMER,
        SemanticConventions.FAAS_TRIGGER_PUBSUB,
        batch,
        batch.sharedParent(),
        batch.links(),
        batch,
        coldStart,
        context);
  }

  /** Any other event's invocation: a SERVER span named after the function. */
  static LambdaInvocation other(
      String trigger, boolean coldStart, com.amazonaws.services.lambda.runtime.Context context) {
    return start(
        Names.functionName(context),
        SpanKind.SERVER,
        trigger,
        null,
        null,
        List.of(),
        null,
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
      MessageBatch messages,
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
      Context current = parent.with(span);
      if (messages != null) {
        current = messages.keptIn(current);
      }
      scope = current.makeCurrent();
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
}
