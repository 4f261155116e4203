package it.platform;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.baton.Traced;
import dev.baton.TracedHandler;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * An SQS batch of orders: each is shipped (a {@code @Traced} method that sends it on to the
 * queue named by {@code SHIPMENTS_QUEUE_URL}, an AWS SDK call); an order whose body says "fail"
 * is sent on too, then reported as a batch item failure.
 */
@TracedHandler
public class Fulfil implements RequestHandler<SQSEvent, SQSBatchResponse> {

  private static final SqsClient SQS = SqsClient.create();
  private static final String SHIPMENTS = System.getenv("SHIPMENTS_QUEUE_URL");

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
    for (SQSEvent.SQSMessage message : event.getRecords()) {
      if (!ship(message.getBody())) {
        failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
      }
    }
    return new SQSBatchResponse(failures);
  }

  @Traced
  boolean ship(String order) {
    SQS.sendMessage(send -> send.queueUrl(SHIPMENTS).messageBody(order));
    return !order.contains("fail");
  }
}
