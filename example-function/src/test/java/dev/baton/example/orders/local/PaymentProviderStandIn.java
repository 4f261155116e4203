package dev.baton.example.orders.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A stand-in for the payment provider {@code process-order} charges (no third party's API runs
 * here): {@code POST /payments} on 127.0.0.1 answers {@code 201} with a payment id. It traces its
 * own side, as a provider with OpenTelemetry would: the request's {@code traceparent} is the parent
 * of its SERVER span {@code POST /payments}, service {@code payment-provider}, exported to the same
 * collector or Zipkin as the functions. So the trace shows the HTTP hop out of the function.
 */
final class PaymentProviderStandIn implements AutoCloseable {

  static final String SERVICE = "payment-provider";

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(2);
  private final OpenTelemetrySdk sdk;
  private final Tracer tracer;

  PaymentProviderStandIn(String otlpEndpoint, String zipkinSpansEndpoint) throws IOException {
    // Set up from otel.* settings, as a service of the provider's own would be.
    Map<String, String> settings = new HashMap<>();
    settings.put("otel.service.name", SERVICE);
    settings.put("otel.metrics.exporter", "none");
    settings.put("otel.logs.exporter", "none");
    settings.put("otel.propagators", "tracecontext");
    settings.put("otel.bsp.schedule.delay", "50");
    List<String> exporters = new ArrayList<>();
    if (otlpEndpoint != null) {
      exporters.add("otlp");
      settings.put("otel.exporter.otlp.protocol", "http/protobuf");
      settings.put("otel.exporter.otlp.endpoint", otlpEndpoint);
    }
    if (zipkinSpansEndpoint != null) {
      exporters.add("zipkin");
      settings.put("otel.exporter.zipkin.endpoint", zipkinSpansEndpoint);
    }
    settings.put("otel.traces.exporter", exporters.isEmpty() ? "none" : String.join(",", exporters));
    sdk = AutoConfiguredOpenTelemetrySdk.builder()
        .addPropertiesSupplier(() -> settings)
        .disableShutdownHook()
        .build()
        .getOpenTelemetrySdk();
    tracer = sdk.getTracer("payment-provider-stand-in");
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server.createContext("/payments", this::charge);
    server.start();
  }

  /** {@code http://127.0.0.1:<port>}: the function's {@code PAYMENT_PROVIDER_URL}. */
  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private void charge(HttpExchange exchange) throws IOException {
    Context parent = W3CTraceContextPropagator.getInstance().extract(Context.root(), exchange, Headers.INSTANCE);
    Span span = tracer.spanBuilder("POST /payments").setParent(parent).setSpanKind(SpanKind.SERVER)
        .setAttribute("http.request.method", "POST")
        .setAttribute("http.route", "/payments")
        .startSpan();
    try (Scope ignored = span.makeCurrent(); exchange) {
      exchange.getRequestBody().readAllBytes();
      byte[] body = ("{\"paymentId\":\"" + UUID.randomUUID() + "\"}").getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(201, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
      span.setAttribute("http.response.status_code", 201L);
    } finally {
      span.end();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    sdk.close();
  }

  private enum Headers implements TextMapGetter<HttpExchange> {
    INSTANCE;

    @Override
    public Iterable<String> keys(HttpExchange exchange) {
      return exchange.getRequestHeaders().keySet();
    }

    @Override
    public String get(HttpExchange exchange, String key) {
      List<String> values = exchange == null ? null : exchange.getRequestHeaders().get(key);
      return values == null || values.isEmpty() ? null : values.get(0);
    }
  }
}
