package dev.baton.runtime.internal.aws;

import dev.baton.runtime.internal.BatonTelemetry;
import dev.baton.runtime.internal.Failures;
import dev.baton.runtime.internal.SemanticConventions;
import dev.baton.runtime.internal.TracedMethods;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import java.util.function.Consumer;
import software.amazon.awssdk.awscore.AwsResponse;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>One AWS SDK v2 call made from woven code, and its CLIENT span {@code Service.Operation}
 * with {@code rpc.system=aws-api}, {@code rpc.service}, {@code rpc.method}, {@code cloud.region}
 * and, from the response or the service's error, {@code aws.request_id} and {@code
 * http.response.status_code}; a failure sets status ERROR, {@code error.type} (the AWS error code
 * when the service sent one) and an {@code exception} event.
 *
 * <p>For the {@code Consumer<Builder>} overloads the call is itself the consumer handed to the
 * SDK: the SDK's default method runs it on a fresh builder before sending, so the span starts as
 * soon as the user's consumer has filled the builder in, when the operation is known. Subclasses
 * add what a messaging operation needs (a PRODUCER span, the context injected into the request).
 *
 * <p>No method throws: every step has its own {@code try} and reports to {@link Failures}; the
 * span ends exactly once, and an invalid span (nothing started) records nothing.
 */
public class AwsCall implements Consumer<Object> {

  /** {@code rpc.system} of AWS API calls, as OpenTelemetry's AWS SDK instrumentation sets it. */
  static final String AWS_API = "aws-api";

  final Object client;
  private final Consumer<Object> mutation;
  Span span = Span.getInvalid();
  private Scope scope = Scope.noop();
  private boolean started;
  private boolean ended;

  AwsCall(Object client, Consumer<Object> mutation) {
    this.client = client;
    this.mutation = mutation;
  }

  /**
   * Runs the user's consumer on the SDK's builder, then starts the span: the request is known now.
   * An exception from the user's consumer passes through unchanged, and no span is started.
   */
  @Override
  public final void accept(Object builder) {
    mutation.accept(builder);
    if (started) {
      return;
    }
    try {
      onBuilderFilled(builder);
    } catch (Throwable failure) {
      Failures.report("starting an AWS SDK call's span", failure);
    }
  }

  /** The user's builder is complete: starts the span (and, in subclasses, injects the context). */
  void onBuilderFilled(Object builder) {
    start(builder);
  }

  /** Starts the CLIENT span of the call whose request (or filled-in builder) is given. */
  void start(Object requestOrBuilder) {
    try {
      AwsOperation operation = AwsOperation.of(requestOrBuilder);
      start(operation, SpanKind.CLIENT, operation.spanName());
    } catch (Throwable failure) {
      started = true;
      Failures.report("starting an AWS SDK call's span", failure);
    }
  }

  /**
   * Starts the span, with the attributes every AWS call has, and makes it current. {@code
   * rpc.system} and {@code rpc.service} are deprecated in semconv 1.43 but are what AWS SDK
   * instrumentation and backends read today.
   */
  final void start(AwsOperation operation, SpanKind kind, String spanName) {
    started = true;
    try {
      SpanBuilder builder =
          BatonTelemetry.tracer()
              .spanBuilder(spanName)
              .setSpanKind(kind)
              .setAttribute(SemanticConventions.RPC_SYSTEM, AWS_API)
              .setAttribute(SemanticConventions.RPC_SERVICE, operation.service());
      if (operation.operation() != null) {
        builder.setAttribute(SemanticConventions.RPC_METHOD, operation.operation());
      }
      String region = ClientRegions.of(client);
      if (region != null) {
        builder.setAttribute(SemanticConventions.CLOUD_REGION, region);
      }
      addStartAttributes(builder);
      span = builder.startSpan();
      scope = span.makeCurrent();
    } catch (Throwable failure) {
      Failures.report("starting an AWS SDK call's span", failure);
    }
  }

  /** Attributes a subclass knows before the call starts (the queue, the topic). */
  void addStartAttributes(SpanBuilder builder) {}

  /** What a subclass reads from a successful response (the message id). */
  void onResponse(SdkResponse response) {}

  /** The call returned: closes the scope; a response ends the span now, a future when it completes. */
  final Object returned(Object result) {
    closeScope();
    if (result instanceof java.util.concurrent.CompletableFuture<?> future) {
      try {
        future.whenComplete(new Completion(this));
      } catch (Throwable failure) {
        Failures.report("waiting for an asynchronous AWS SDK call", failure);
        end(null, null);
      }
    } else {
      end(result, null);
    }
    return result;
  }

  /** The call threw {@code failure}: closes the scope and ends the span as failed. */
  final void threw(Throwable failure) {
    closeScope();
    end(null, failure);
  }

  final void end(Object result, Throwable failure) {
    if (ended) {
      return;
    }
    ended = true;
    try {
      if (span.isRecording()) {
        if (failure == null) {
          recordResponse(response(result));
        } else {
          recordFailure(failure);
        }
      }
    } catch (Throwable recordingFailure) {
      Failures.report("recording an AWS SDK call's result", recordingFailure);
    }
    try {
      span.end();
    } catch (Throwable endingFailure) {
      Failures.report("ending a span", endingFailure);
    }
  }

  private static SdkResponse response(Object result) {
    if (result instanceof SdkResponse response) {
      return response;
    }
    if (result instanceof ResponseInputStream<?> stream && stream.response() instanceof SdkResponse response) {
      return response;
    }
    if (result instanceof ResponseBytes<?> bytes && bytes.response() instanceof SdkResponse response) {
      return response;
    }
    return null;
  }

  private void recordResponse(SdkResponse response) {
    if (response == null) {
      return;
    }
    SdkHttpResponse http = response.sdkHttpResponse();
    if (http != null) {
      span.setAttribute(SemanticConventions.HTTP_RESPONSE_STATUS_CODE, (long) http.statusCode());
    }
    if (response instanceof AwsResponse aws && aws.responseMetadata() != null) {
      String requestId = aws.responseMetadata().requestId();
      if (requestId != null && !"UNKNOWN".equals(requestId)) {
        span.setAttribute(SemanticConventions.AWS_REQUEST_ID, requestId);
      }
    }
    onResponse(response);
  }

  private void recordFailure(Throwable thrown) {
    Throwable failure = TracedMethods.unwrap(thrown);
    String errorType = failure.getClass().getName();
    if (failure instanceof SdkServiceException service) {
      if (service.statusCode() > 0) {
        span.setAttribute(SemanticConventions.HTTP_RESPONSE_STATUS_CODE, (long) service.statusCode());
      }
      String requestId = service.requestId();
      if (requestId != null && !requestId.isEmpty() && !"UNKNOWN".equals(requestId)) {
        span.setAttribute(SemanticConventions.AWS_REQUEST_ID, requestId);
      }
    }
    if (failure instanceof AwsServiceException aws) {
      AwsErrorDetails details = aws.awsErrorDetails();
      if (details != null && details.errorCode() != null && !details.errorCode().isEmpty()) {
        errorType = details.errorCode();
      }
    }
    span.setStatus(StatusCode.ERROR);
    span.setAttribute(SemanticConventions.ERROR_TYPE, errorType);
    span.recordException(failure);
  }

  private void closeScope() {
    try {
      scope.close();
    } catch (Throwable failure) {
      Failures.report("closing a span's scope", failure);
    }
    scope = Scope.noop();
  }

  /** Ends the span of an asynchronous call when its future completes. */
  private static final class Completion implements java.util.function.BiConsumer<Object, Throwable> {
    private final AwsCall call;

    Completion(AwsCall call) {
      this.call = call;
    }

    @Override
    public void accept(Object result, Throwable failure) {
      call.end(result, failure);
    }
  }
}
