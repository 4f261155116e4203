package com.acme.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.baton.SpanAttribute;
import dev.baton.Traced;
import dev.baton.TracedHandler;
import java.util.ArrayList;
import java.util.List;

/** An SQS batch with partial failures; each message's own process span, with an attribute. */
public class SqsBatchHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
  @TracedHandler
  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
    for (SQSEvent.SQSMessage message : event.getRecords()) {
      process(message, "gold");
    }
    return new SQSBatchResponse(failures);
  }

  @Traced
  void process(SQSEvent.SQSMessage message, @SpanAttribute("customer.tier") String tier) {}
}
