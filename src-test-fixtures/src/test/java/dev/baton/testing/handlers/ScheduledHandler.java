package dev.baton.testing.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.baton.runtime.internal.TracedMethods;
import dev.baton.runtime.internal.lambda.LambdaInvocation;
import dev.baton.runtime.internal.sdk.AutoConfiguredTelemetry;

/** A scheduled handler ({@code timer}), traced by hand as the generated advice will do it. TEMPORARY, see {@link HttpApiHandler}. */
public class ScheduledHandler implements RequestHandler<ScheduledEvent, String> {

  @Override
  public String handleRequest(ScheduledEvent event, Context context) {
    AutoConfiguredTelemetry.startOnce();
    LambdaInvocation invocation = LambdaInvocation.startOther(LambdaInvocation.TIMER, context);
    try {
      String result = "ran " + event.getDetailType();
      invocation.end();
      return result;
    } catch (Throwable failure) {
      invocation.end(failure);
      throw TracedMethods.rethrow(failure);
    }
  }
}
