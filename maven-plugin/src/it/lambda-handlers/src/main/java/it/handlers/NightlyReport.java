package it.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.baton.TracedHandler;

/** A scheduled function, as a handler method (not a RequestHandler class). */
public class NightlyReport {

  @TracedHandler
  public String run(ScheduledEvent event, Context context) {
    return "ran " + event.getDetailType();
  }
}
