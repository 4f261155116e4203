package it.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.baton.SpanAttribute;
import dev.baton.Traced;
import dev.baton.TracedHandler;

/** HTTP API {@code POST /orders}: 201, or an exception when the body says "boom". */
@TracedHandler
public class PlaceOrder implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

  @Override
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    String body = event.getBody() == null ? "" : event.getBody();
    validate(body.length());
    if (body.contains("boom")) {
      throw new IllegalStateException("order rejected: boom");
    }
    return APIGatewayV2HTTPResponse.builder().withStatusCode(201).withBody("{\"created\":true}").build();
  }

  @Traced
  void validate(@SpanAttribute("order.body.length") int length) {}
}
