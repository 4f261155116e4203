package it.platform;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.baton.SpanAttribute;
import dev.baton.Traced;
import dev.baton.TracedHandler;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP API {@code POST /orders}: identifies the customer (header {@code x-customer}, hashed),
 * prices and reserves (two {@code @Traced} methods, pausing a little so that concurrent
 * invocations interleave) and starts an audit that completes on
 * another thread after the handler returned. The body says when the handler returned. A request
 * body that says "boom" makes the handler throw after the audit started, one that says
 * "unavailable" makes it answer 503.
 */
@TracedHandler
public class Checkout implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

  private static final Logger LOG = LoggerFactory.getLogger(Checkout.class);

  private static final ExecutorService AUDITS =
      Executors.newCachedThreadPool(
          runnable -> {
            Thread thread = new Thread(runnable, "audit");
            thread.setDaemon(true);
            return thread;
          });

  @Override
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    String body = event.getBody() == null ? "" : event.getBody();
    identify(event.getHeaders() == null ? null : event.getHeaders().get("x-customer"));
    long total = price(body.length());
    reserve(total);
    audit(context.getAwsRequestId());
    if (body.contains("boom")) {
      throw new IllegalStateException("checkout failed: boom");
    }
    if (body.contains("unavailable")) {
      return APIGatewayV2HTTPResponse.builder().withStatusCode(503).withBody("{}").build();
    }
    LOG.info("checked out");
    return APIGatewayV2HTTPResponse.builder()
        .withStatusCode(200)
        .withBody("{\"returnedAt\":" + System.currentTimeMillis() + "}")
        .build();
  }

  @Traced
  long price(@SpanAttribute("checkout.body_length") int length) {
    LOG.info("pricing {} bytes", length);
    pause();
    return length * 100L;
  }

  /** The customer's address, from header {@code x-customer}: on the span only as a keyed hash. */
  @Traced
  void identify(@SpanAttribute(value = "customer.email", hash = true) String email) {}

  @Traced
  void reserve(long total) {
    pause();
  }

  /** Completes about 20 ms later, on another thread: its span ends after the handler returned. */
  @Traced
  CompletableFuture<Void> audit(@SpanAttribute("checkout.request_id") String requestId) {
    return CompletableFuture.runAsync(() -> sleep(20), AUDITS);
  }

  private static void pause() {
    sleep(ThreadLocalRandom.current().nextInt(4));
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
