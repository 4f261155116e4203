package dev.baton.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;

/**
 * A stand-in for an OpenTelemetry Collector in tests: a small OTLP/HTTP receiver (protobuf, on
 * 127.0.0.1, a free port) that decodes {@code /v1/traces} with the {@code opentelemetry-proto}
 * classes and keeps the spans, each numbered in {@link EventOrder} when its request arrived. No
 * OTLP backend can be installed where Baton is built, and this is all a test needs. Metrics and
 * logs requests are answered and counted, not decoded. Like a collector, it answers with {@code
 * TCP_NODELAY} ({@code sun.net.httpserver.nodelay=true}, set unless set otherwise), so a delayed
 * ACK does not add to an export's time.
 *
 * <p>{@link #stalled()} makes one that accepts requests and never answers until closed: a slow
 * exporter's endpoint, for testing that a flush gives up in time.
 */
public final class OtlpReceiver implements AutoCloseable {

  private final HttpServer server;
  private final ExecutorService executor = LoopbackHttpServer.executor("otlp-receiver");
  private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();
  private final AtomicInteger requests = new AtomicInteger();
  private final boolean stall;
  private final CountDownLatch closing = new CountDownLatch(1);

  private OtlpReceiver(boolean stall) {
    this.stall = stall;
    try {
      server = LoopbackHttpServer.create(executor);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", this::handle);
    server.start();
  }

  /** A receiver that answers every export with success. */
  public static OtlpReceiver start() {
    return new OtlpReceiver(false);
  }

  /** A receiver that reads every request and never answers until closed. */
  public static OtlpReceiver stalled() {
    return new OtlpReceiver(true);
  }

  /** {@code http://127.0.0.1:<port>}: the value for {@code otel.exporter.otlp.endpoint}. */
  public String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Every span received so far, in arrival order. */
  public List<ReceivedSpan> spans() {
    return List.copyOf(spans);
  }

  /** The spans whose trace is {@code traceId}. */
  public List<ReceivedSpan> trace(String traceId) {
    return spans.stream().filter(span -> span.traceId().equals(traceId)).toList();
  }

  /** How many requests (of any signal) arrived. */
  public int requestCount() {
    return requests.get();
  }

  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body;
      try (InputStream in = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))
          ? new GZIPInputStream(exchange.getRequestBody())
          : exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      long order = EventOrder.next();
      requests.incrementAndGet();
      if (stall) {
        try {
          closing.await();
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
        }
        return;
      }
      byte[] response = new byte[0];
      if (exchange.getRequestURI().getPath().equals("/v1/traces")) {
        spans.addAll(decode(ExportTraceServiceRequest.parseFrom(body), order));
        response = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
      }
      exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
      exchange.sendResponseHeaders(200, response.length == 0 ? -1 : response.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(response);
      }
    }
  }

  static List<ReceivedSpan> decode(ExportTraceServiceRequest request, long order) {
    HexFormat hex = HexFormat.of();
    List<ReceivedSpan> decoded = new ArrayList<>();
    for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
      Map<String, String> resource = attributes(resourceSpans.getResource());
      for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
        for (Span span : scopeSpans.getSpansList()) {
          List<ReceivedSpan.Link> links = new ArrayList<>();
          for (Span.Link link : span.getLinksList()) {
            links.add(new ReceivedSpan.Link(
                hex.formatHex(link.getTraceId().toByteArray()),
                hex.formatHex(link.getSpanId().toByteArray())));
          }
          List<String> events = new ArrayList<>();
          span.getEventsList().forEach(event -> events.add(event.getName()));
          decoded.add(new ReceivedSpan(
              hex.formatHex(span.getTraceId().toByteArray()),
              hex.formatHex(span.getSpanId().toByteArray()),
              hex.formatHex(span.getParentSpanId().toByteArray()),
              span.getName(),
              span.getKind().name().replace("SPAN_KIND_", ""),
              span.getStatus().getCode().name().replace("STATUS_CODE_", ""),
              span.getStartTimeUnixNano(),
              span.getEndTimeUnixNano(),
              attributes(span.getAttributesList()),
              List.copyOf(links),
              List.copyOf(events),
              resource,
              order));
        }
      }
    }
    return decoded;
  }

  private static Map<String, String> attributes(Resource resource) {
    return attributes(resource.getAttributesList());
  }

  private static Map<String, String> attributes(List<KeyValue> keyValues) {
    Map<String, String> attributes = new LinkedHashMap<>();
    for (KeyValue keyValue : keyValues) {
      attributes.put(keyValue.getKey(), text(keyValue.getValue()));
    }
    return Map.copyOf(attributes);
  }

  private static String text(AnyValue value) {
    switch (value.getValueCase()) {
      case STRING_VALUE:
        return value.getStringValue();
      case BOOL_VALUE:
        return Boolean.toString(value.getBoolValue());
      case INT_VALUE:
        return Long.toString(value.getIntValue());
      case DOUBLE_VALUE:
        return Double.toString(value.getDoubleValue());
      default:
        return value.toString().trim();
    }
  }
}
