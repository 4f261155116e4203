package com.acme.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import dev.baton.Traced;
import dev.baton.TracedHandler;

/** SNS records, each its own process span. */
public class SnsHandler implements RequestHandler<SNSEvent, Void> {
  @TracedHandler
  @Override
  public Void handleRequest(SNSEvent event, Context context) {
    event.getRecords().forEach(this::notify);
    return null;
  }

  @Traced("notify")
  void notify(SNSEvent.SNSRecord record) {}
}
