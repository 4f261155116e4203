package dev.baton.example.orders;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.baton.SpanAttribute;
import dev.baton.Traced;
import dev.baton.TracedHandler;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * HTTP API {@code POST /orders}: validates the order, stores it in the orders table and puts it
 * on the orders queue for {@link ProcessOrderHandler}. Answers 201 with the order's id, or 400
 * with what is wrong.
 *
 * <p>Traced by Baton with annotations alone: {@code @TracedHandler} gives each invocation its
 * {@code POST /orders} span; the {@code @Traced} validation gets its own; the DynamoDB and SQS
 * calls get client and producer spans, and the SQS message carries the trace on.
 */
@TracedHandler
public class PlaceOrderHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

  private static final Map<String, String> JSON = Map.of("content-type", "application/json");

  private final DynamoDbClient dynamoDb;
  private final SqsClient sqs;
  private final String table;
  private final String queueUrl;

  /** What Lambda calls: clients and names from the environment (see {@code template.yaml}). */
  public PlaceOrderHandler() {
    this(AwsClients.dynamoDb(), AwsClients.sqs(), AwsClients.setting("ORDERS_TABLE"), AwsClients.setting("ORDERS_QUEUE_URL"));
  }

  PlaceOrderHandler(DynamoDbClient dynamoDb, SqsClient sqs, String table, String queueUrl) {
    this.dynamoDb = dynamoDb;
    this.sqs = sqs;
    this.table = table;
    this.queueUrl = queueUrl;
  }

  @Override
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    Order order;
    try {
      order = validate(event.getBody()).withId(UUID.randomUUID().toString());
    } catch (InvalidOrderException invalid) {
      return response(400, OrderJson.object(Map.of("error", invalid.getMessage())));
    }

    dynamoDb.putItem(put -> put
        .tableName(table)
        .item(Map.of(
            "orderId", AttributeValue.fromS(order.orderId()),
            "customerId", AttributeValue.fromS(order.customerId()),
            "email", AttributeValue.fromS(order.email()),
            "totalCents", AttributeValue.fromN(Long.toString(order.totalCents())),
            "status", AttributeValue.fromS("PLACED"),
            "placedAt", AttributeValue.fromS(Instant.now().toString())))
        .conditionExpression("attribute_not_exists(orderId)"));

    sqs.sendMessage(send -> send.queueUrl(queueUrl).messageBody(OrderJson.json(order)));

    return response(201, OrderJson.object(Map.of("orderId", order.orderId())));
  }

  /** The order in {@code body}, or {@link InvalidOrderException} saying what is wrong with it. */
  @Traced
  Order validate(String body) {
    Order order = OrderJson.order(body);
    if (order.customerId() == null || order.customerId().isBlank()) {
      throw new InvalidOrderException("'customerId' is required");
    }
    if (order.email() == null || !order.email().contains("@")) {
      throw new InvalidOrderException("'email' must be an email address");
    }
    if (order.lines().isEmpty()) {
      throw new InvalidOrderException("an order needs at least one line");
    }
    checkLines(order.lines().size(), order.totalCents());
    for (Order.Line line : order.lines()) {
      if (line.sku() == null || line.quantity() <= 0 || line.unitPriceCents() < 0) {
        throw new InvalidOrderException("each line needs a 'sku', a positive 'quantity' and a 'unitPriceCents'");
      }
    }
    return order;
  }

  /** Business limits on an order's size. */
  @Traced("check order limits")
  void checkLines(@SpanAttribute("order.line_count") int lineCount, @SpanAttribute("order.total_cents") long totalCents) {
    if (lineCount > 50) {
      throw new InvalidOrderException("at most 50 lines per order");
    }
    if (totalCents > 10_000_00L) {
      throw new InvalidOrderException("orders over 10,000.00 need a sales contact");
    }
  }

  private static APIGatewayV2HTTPResponse response(int status, String body) {
    return APIGatewayV2HTTPResponse.builder().withStatusCode(status).withHeaders(JSON).withBody(body).build();
  }
}
