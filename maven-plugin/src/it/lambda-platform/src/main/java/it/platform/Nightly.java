package it.platform;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.baton.TracedHandler;

/** A scheduled job: its invocation span is parented by Lambda's X-Ray header, when sampled. */
@TracedHandler
public class Nightly implements RequestHandler<ScheduledEvent, String> {

  @Override
  public String handleRequest(ScheduledEvent event, Context context) {
    return "done";
  }
}
