package dev.baton.testing.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import dev.baton.runtime.internal.TracedMethods;
import dev.baton.runtime.internal.lambda.LambdaInvocation;
import dev.baton.runtime.internal.sdk.AutoConfiguredTelemetry;

/** An SNS handler, traced by hand as the generated advice will do it. TEMPORARY, see {@link HttpApiHandler}. */
public class SnsHandler implements RequestHandler<SNSEvent, String> {

  @Override
  public String handleRequest(SNSEvent event, Context context) {
    AutoConfiguredTelemetry.startOnce();
    LambdaInvocation invocation = LambdaInvocation.startSns(event, context);
    try {
      String result = "notified " + event.getRecords().size();
      invocation.end();
      return result;
    } catch (Throwable failure) {
      invocation.end(failure);
      throw TracedMethods.rethrow(failure);
    }
  }
}
