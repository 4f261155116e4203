package dev.baton.example.orders;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The payment provider's API, a third party's HTTP service, called with the JDK's {@code
 * HttpClient}. Nothing here knows about tracing: Baton weaves the {@code send} call site, so the
 * call is a CLIENT span {@code POST} and the provider receives the trace context in the request's
 * {@code traceparent} header.
 */
final class PaymentProvider {

  /** One client per function instance: connections are reused across invocations. */
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final URI payments;

  /** @param baseUrl the provider's API, {@code PAYMENT_PROVIDER_URL} */
  PaymentProvider(String baseUrl) {
    this.payments = URI.create(baseUrl.replaceAll("/+$", "") + "/payments");
  }

  /** Charges the order's total; a provider that declines or fails fails the order's message. */
  void charge(Order order) {
    HttpRequest request =
        HttpRequest.newBuilder(payments)
            .timeout(Duration.ofSeconds(5))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(
                "{\"orderId\":\"" + order.orderId() + "\",\"amountCents\":" + order.totalCents() + "}"))
            .build();
    HttpResponse<String> response;
    try {
      response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException("payment provider unreachable for order " + order.orderId(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while charging order " + order.orderId(), e);
    }
    if (response.statusCode() / 100 != 2) {
      throw new InvalidOrderException(
          "payment for order " + order.orderId() + " refused: HTTP " + response.statusCode());
    }
  }
}
