package it.w3c;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.baton.testing.TestLambdaContext;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * A stand-in for API Gateway (REST API, Lambda proxy integration) in front of a handler run in
 * this JVM: each HTTP request becomes an {@code APIGatewayProxyRequestEvent} as API Gateway builds
 * it (every header line in {@code multiValueHeaders}, the last value of each name in {@code
 * headers}) and the handler's response becomes the HTTP response. No API Gateway runs locally.
 */
final class ApiGatewayBridge implements AutoCloseable {

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(2);
  private final AtomicInteger invocations = new AtomicInteger();

  ApiGatewayBridge(
      int port,
      BiFunction<APIGatewayProxyRequestEvent, TestLambdaContext, APIGatewayProxyResponseEvent> function)
      throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    server.setExecutor(executor);
    server.createContext("/", exchange -> answer(exchange, function));
    server.start();
  }

  /** {@code http://127.0.0.1:<port>/test}. */
  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/test";
  }

  private void answer(
      HttpExchange exchange,
      BiFunction<APIGatewayProxyRequestEvent, TestLambdaContext, APIGatewayProxyResponseEvent> function)
      throws IOException {
    try (exchange) {
      Map<String, String> headers = new LinkedHashMap<>();
      Map<String, List<String>> multiValueHeaders = new LinkedHashMap<>();
      exchange.getRequestHeaders().forEach((name, values) -> {
        multiValueHeaders.put(name, new ArrayList<>(values));
        headers.put(name, values.get(values.size() - 1));
      });
      APIGatewayProxyRequestEvent event =
          new APIGatewayProxyRequestEvent()
              .withHttpMethod(exchange.getRequestMethod())
              .withPath(exchange.getRequestURI().getPath())
              .withResource("/test")
              .withHeaders(headers)
              .withMultiValueHeaders(multiValueHeaders)
              .withBody(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      APIGatewayProxyResponseEvent response;
      try {
        response = function.apply(event, TestLambdaContext.of("w3c-" + invocations.incrementAndGet(), "w3c-service"));
      } catch (RuntimeException e) {
        response = new APIGatewayProxyResponseEvent().withStatusCode(500).withBody("{}");
      }
      byte[] body = (response.getBody() == null ? "" : response.getBody()).getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(response.getStatusCode() == null ? 200 : response.getStatusCode(), body.length == 0 ? -1 : body.length);
      if (body.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
