package bench.orders;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.baton.SpanAttribute;
import dev.baton.Traced;
import dev.baton.TracedHandler;
import dev.baton.runtime.Baton;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * {@code POST /orders}, traced by Baton: the untraced handler word for word, plus one line that
 * hands Baton the same SDK the hand-written variant builds ({@link FunctionTelemetry}).
 */
@TracedHandler
public class PlaceOrder implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

  static {
    Baton.useOpenTelemetry(FunctionTelemetry.create());
  }

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
