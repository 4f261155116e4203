package dev.baton.example.orders;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.baton.SpanAttribute;
import dev.baton.Traced;
import dev.baton.TracedHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;

/**
 * The orders queue's consumer: each message of the batch is one order to accept (reserve stock,
 * charge it with the payment provider over HTTP, mark it accepted in the table) and announce as {@code OrderPlaced} on the order-events topic. A
 * message that fails is reported back as a batch item failure, so SQS retries only that one
 * (the event source mapping must enable {@code ReportBatchItemFailures}).
 *
 * <p>Each message gets its own {@code process} span in the producer's trace, because {@link
 * #process} is {@code @Traced} and takes the message.
 */
@TracedHandler
public class ProcessOrderHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

  private static final Logger LOG = LoggerFactory.getLogger(ProcessOrderHandler.class);

  private final DynamoDbClient dynamoDb;
  private final SnsClient sns;
  private final String table;
  private final String topicArn;
  private final PaymentProvider payments;

  public ProcessOrderHandler() {
    this(
        AwsClients.dynamoDb(),
        AwsClients.sns(),
        AwsClients.setting("ORDERS_TABLE"),
        AwsClients.setting("ORDER_EVENTS_TOPIC_ARN"),
        new PaymentProvider(AwsClients.setting("PAYMENT_PROVIDER_URL")));
  }

  ProcessOrderHandler(DynamoDbClient dynamoDb, SnsClient sns, String table, String topicArn, PaymentProvider payments) {
    this.dynamoDb = dynamoDb;
    this.sns = sns;
    this.table = table;
    this.topicArn = topicArn;
    this.payments = payments;
  }

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
    for (SQSEvent.SQSMessage message : event.getRecords()) {
      try {
        process(message);
      } catch (RuntimeException failed) {
        LOG.warn("order message {} failed: {}", message.getMessageId(), failed.toString());
        failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
      }
    }
    return new SQSBatchResponse(failures);
  }

  /** Accepts the order in {@code message} and publishes {@code OrderPlaced}. */
  @Traced
  void process(SQSEvent.SQSMessage message) {
    Order order = OrderJson.order(message.getBody());
    if (order.orderId() == null) {
      throw new InvalidOrderException("message without an orderId");
    }
    reserveStock(order.orderId(), order.lines().stream().mapToInt(Order.Line::quantity).sum());
    payments.charge(order);

    dynamoDb.updateItem(update -> update
        .tableName(table)
        .key(Map.of("orderId", AttributeValue.fromS(order.orderId())))
        .updateExpression("SET #status = :accepted")
        .expressionAttributeNames(Map.of("#status", "status"))
        .expressionAttributeValues(Map.of(":accepted", AttributeValue.fromS("ACCEPTED"))));

    sns.publish(publish -> publish
        .topicArn(topicArn)
        .message(OrderJson.json(OrderPlaced.of(order)))
        .messageAttributes(Map.of(
            "eventType",
            MessageAttributeValue.builder().dataType("String").stringValue(OrderPlaced.TYPE).build())));
  }

  /** Stands in for a call to an inventory service. */
  @Traced("reserve stock")
  void reserveStock(@SpanAttribute("order.id") String orderId, @SpanAttribute("order.item_count") int items) {
    if (items <= 0) {
      throw new InvalidOrderException("nothing to reserve for order " + orderId);
    }
  }
}
