package com.acme.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.baton.TracedHandler;

/** An EventBridge schedule: trigger timer, no event read. */
public class ScheduledHandler {
  @TracedHandler
  public void nightly(ScheduledEvent event, Context context) {}
}
