package it.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.baton.Traced;
import dev.baton.TracedHandler;
import java.util.ArrayList;
import java.util.List;

/** An SQS batch: each message in its own process span; a body saying "fail" is an item failure. */
@TracedHandler
public class ProcessOrders implements RequestHandler<SQSEvent, SQSBatchResponse> {

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
    for (SQSEvent.SQSMessage message : event.getRecords()) {
      if (!process(message)) {
        failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
      }
    }
    return new SQSBatchResponse(failures);
  }

  @Traced
  boolean process(SQSEvent.SQSMessage message) {
    return message.getBody() == null || !message.getBody().contains("fail");
  }
}
