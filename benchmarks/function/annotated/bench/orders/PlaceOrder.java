package bench.orders;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.baton.SpanAttribute;
import dev.baton.Traced;
import dev.baton.TracedHandler;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * {@code POST /orders}: parse, price, enqueue to SQS, answer 201. The annotations have CLASS
 * retention: compiled without Baton's processor and weave (the {@code untraced} and {@code
 * otel_agent} variants) this is plain, untraced code; with them it is traced with zero code, the
 * SDK set up from the {@code otel.*} settings: by Baton's built-in trace-only setup in the {@code
 * baton} variant, by the autoconfigure module in {@code baton_autoconfigure}.
 */
@TracedHandler
public class PlaceOrder implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

  private final SqsClient sqs = OrderQueue.client();
  private final String queueUrl = OrderQueue.url();

  @Override
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    Order order = parse(event.getBody());
    long total = price(order.sku(), order.quantity());
    String messageId = enqueue(order, total);
    return APIGatewayV2HTTPResponse.builder()
        .withStatusCode(201)
        .withBody(OrderLogic.created(order, total, messageId))
        .build();
  }

  @Traced
  Order parse(String body) {
    return OrderLogic.parse(body);
  }

  @Traced
  long price(@SpanAttribute("order.sku") String sku, @SpanAttribute("order.quantity") int quantity) {
    return OrderLogic.price(sku, quantity);
  }

  @Traced
  String enqueue(Order order, long totalCents) {
    return sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(OrderLogic.message(order, totalCents)))
        .messageId();
  }
}
