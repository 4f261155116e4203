package dev.baton.testing.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.baton.runtime.internal.TracedMethods;
import dev.baton.runtime.internal.lambda.LambdaInvocation;
import dev.baton.runtime.internal.lambda.MessageSpans;
import dev.baton.runtime.internal.sdk.AutoConfiguredTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import java.util.ArrayList;
import java.util.List;

/**
 * An SQS handler that processes each message in a {@code @Traced}-style method taking the
 * message, and reports messages whose body says "fail" as batch item failures. Traced by hand as
 * the generated advice will do it. TEMPORARY, see {@link HttpApiHandler}.
 */
public class SqsHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    AutoConfiguredTelemetry.startOnce();
    LambdaInvocation invocation = LambdaInvocation.startSqs(event, context);
    try {
      SQSBatchResponse response = handle(event);
      invocation.endSqs(response);
      return response;
    } catch (Throwable failure) {
      invocation.end(failure);
      throw TracedMethods.rethrow(failure);
    }
  }

  private SQSBatchResponse handle(SQSEvent event) {
    List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
    for (SQSEvent.SQSMessage message : event.getRecords()) {
      if (!process(message)) {
        failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
      }
    }
    return new SQSBatchResponse(failures);
  }

  /** What the advice around a {@code @Traced boolean process(SQSMessage)} will look like. */
  private boolean process(SQSEvent.SQSMessage message) {
    Span span = MessageSpans.sqsMessage(null, message);
    Scope scope = TracedMethods.makeCurrent(span);
    try {
      boolean result = message.getBody() == null || !message.getBody().contains("fail");
      TracedMethods.end(span, scope);
      return result;
    } catch (Throwable failure) {
      TracedMethods.end(span, scope, failure);
      throw TracedMethods.rethrow(failure);
    }
  }
}
