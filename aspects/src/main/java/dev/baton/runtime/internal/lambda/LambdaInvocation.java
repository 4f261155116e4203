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
import dev.baton.runtime.internal.BatonTelemetry;
import dev.baton.runtime.internal.Failures;
import dev.baton.runtime.internal.SemanticConventions;
import dev.baton.runtime.internal.TelemetryFlush;
import dev.baton.runtime.internal.TracedMethods;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;

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

  private final Span span;
  private final Scope scope;
  private final com.amazonaws.services.lambda.runtime.Context lambdaContext;
  private final TelemetryFlush flush;
  private final TelemetryFlush.Invocation kept;
  private Scope alsoAtEnd;
  private boolean ended;

  LambdaInvocation(
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
      return InvocationStart.http(HttpRequest.of(event), coldStart, context);
    } catch (Throwable failure) {
      return failed(failure, context);
    }
  }

  /** An API Gateway HTTP API (payload 2.0) or function URL request: a SERVER span. */
  public static LambdaInvocation startHttpApi(
      APIGatewayV2HTTPEvent event, com.amazonaws.services.lambda.runtime.Context context) {
    boolean coldStart = ColdStart.take();
    try {
      return InvocationStart.http(HttpRequest.of(event), coldStart, context);
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
      return InvocationStart.http(HttpRequest.of(event), coldStart, context);
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
      return InvocationStart.messages(MessageBatch.of(event), coldStart, context);
    } catch (Throwable failure) {
      return failed(failure, context);
    }
  }

  /** An SNS notification: a CONSUMER span {@code process <topic>}, parented like SQS. */
  public static LambdaInvocation startSns(
      SNSEvent event, com.amazonaws.services.lambda.runtime.Context context) {
    boolean coldStart = ColdStart.take();
    try {
      return InvocationStart.messages(MessageBatch.of(event), coldStart, context);
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
      return InvocationStart.other(faasTrigger == null ? OTHER : faasTrigger, coldStart, context);
    } catch (Throwable failure) {
      return failed(failure, context);
    }
  }

  // ------------------------------------------------------------------------------------ ends

  /** The handler returned {@code response} to API Gateway (REST). */
  public void endApiGateway(APIGatewayProxyResponseEvent response) {
    Integer status;
    try {
      status = response == null ? null : response.getStatusCode();
    } catch (Throwable failure) {
      status = HttpRequest.unreadableStatus(failure);
    }
    endHttp(status);
  }

  /** The handler returned {@code response} to an HTTP API or function URL. */
  public void endHttpApi(APIGatewayV2HTTPResponse response) {
    Integer status;
    try {
      status = response == null ? null : response.getStatusCode();
    } catch (Throwable failure) {
      status = HttpRequest.unreadableStatus(failure);
    }
    endHttp(status);
  }

  /** The handler returned {@code response} to an Application Load Balancer. */
  public void endAlb(ApplicationLoadBalancerResponseEvent response) {
    Integer status;
    try {
      status = response == null ? null : response.getStatusCode();
    } catch (Throwable failure) {
      status = HttpRequest.unreadableStatus(failure);
    }
    endHttp(status);
  }

  /** The one HTTP end: the response status recorded ({@link HttpRequest#recordStatus}), then ends. */
  private void endHttp(Integer status) {
    if (!ended && HttpRequest.recordStatus(span, status)) {
      failed();
    }
    end();
  }

  /**
   * The handler returned an SQS batch response: its item failures are recorded ({@link
   * #BATCH_ITEM_FAILURES} and one event per failed message). With at least one, the invocation
   * failed: status ERROR (Lambda retries those messages), and its spans are exported even where
   * the sampler dropped them.
   */
  public void endSqs(SQSBatchResponse response) {
    if (!ended && MessageBatch.recordItemFailures(span, response)) {
      failed();
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

  private static LambdaInvocation failed(
      Throwable failure, com.amazonaws.services.lambda.runtime.Context context) {
    Failures.report("starting the invocation span", failure);
    return new LambdaInvocation(
        Span.getInvalid(), Scope.noop(), context, BatonTelemetry.currentFlush(), null);
  }

}
