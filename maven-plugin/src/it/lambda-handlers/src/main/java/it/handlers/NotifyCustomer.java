package it.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import dev.baton.TracedHandler;

/** An SNS subscriber. */
@TracedHandler
public class NotifyCustomer implements RequestHandler<SNSEvent, String> {

  @Override
  public String handleRequest(SNSEvent event, Context context) {
    return "notified " + event.getRecords().size();
  }
}
