package dev.baton.testing.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.baton.runtime.internal.TracedMethods;
import dev.baton.runtime.internal.lambda.LambdaInvocation;
import dev.baton.runtime.internal.sdk.AutoConfiguredTelemetry;

/**
 * An HTTP API handler, traced by hand exactly as the advice generated for {@code @TracedHandler}
 * will do it. TEMPORARY: once the processor weaves {@code @TracedHandler}, this becomes a plain
 * annotated handler and the end-to-end tests check the woven code instead.
 */
public class HttpApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

  @Override
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    AutoConfiguredTelemetry.startOnce();
    LambdaInvocation invocation = LambdaInvocation.startHttpApi(event, context);
    try {
      APIGatewayV2HTTPResponse response = handle(event);
      invocation.endHttpApi(response);
      return response;
    } catch (Throwable failure) {
      invocation.end(failure);
      throw TracedMethods.rethrow(failure);
    }
  }

  private static APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event) {
    String body = event.getBody() == null ? "" : event.getBody();
    if (body.contains("boom")) {
      throw new IllegalStateException("order rejected: boom");
    }
    return APIGatewayV2HTTPResponse.builder().withStatusCode(201).withBody("{\"created\":true}").build();
  }
}
