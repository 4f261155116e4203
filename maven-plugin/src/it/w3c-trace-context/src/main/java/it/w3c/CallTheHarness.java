package it.w3c;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.baton.TracedHandler;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The W3C Trace Context test service as a Lambda function behind API Gateway (REST API): the
 * body is the harness's list of actions, and for each the function POSTs the action's arguments
 * to the action's URL with {@code java.net.http.HttpClient}. Nothing here knows about tracing
 * besides {@code @TracedHandler}: the incoming context comes from the event's headers, and the
 * outgoing headers are Baton's HTTP call site's.
 */
@TracedHandler
public class CallTheHarness implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {

  private static final HttpClient CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  @Override
  public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
    for (HarnessActions.Action action : HarnessActions.parse(event.getBody())) {
      try {
        CLIENT.send(
            HttpRequest.newBuilder(URI.create(action.url()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(action.arguments()))
                .build(),
            HttpResponse.BodyHandlers.discarding());
      } catch (IOException e) {
        return new APIGatewayProxyResponseEvent().withStatusCode(502).withBody("{\"error\":\"" + e.getClass().getSimpleName() + "\"}");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new APIGatewayProxyResponseEvent().withStatusCode(503);
      }
    }
    return new APIGatewayProxyResponseEvent().withStatusCode(200).withBody("{}");
  }
}
