package dev.baton.example.orders.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

/**
 * The local run's collector: an OTLP/HTTP (protobuf) endpoint on 127.0.0.1 that keeps every span
 * with its timing, which the test fixtures' {@code OtlpReceiver} does not record and the tree and
 * the waterfall need. Stands in for the OpenTelemetry Collector a deployed function exports to.
 */
final class SpanCollector implements AutoCloseable {

  private final HttpServer server;
  private final List<TraceSpan> spans = new CopyOnWriteArrayList<>();

  SpanCollector() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", this::handle);
    server.start();
  }

  /** The value for {@code otel.exporter.otlp.endpoint}. */
  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  List<TraceSpan> trace(String traceId) {
    return spans.stream().filter(span -> span.traceId().equals(traceId)).toList();
  }

  List<TraceSpan> spans() {
    return List.copyOf(spans);
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body;
      try (InputStream in =
          "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))
              ? new GZIPInputStream(exchange.getRequestBody())
              : exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      byte[] response = new byte[0];
      if (exchange.getRequestURI().getPath().equals("/v1/traces")) {
        spans.addAll(decode(ExportTraceServiceRequest.parseFrom(body)));
        response = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
      }
      exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
      exchange.sendResponseHeaders(200, response.length == 0 ? -1 : response.length);
      exchange.getResponseBody().write(response);
    }
  }

  private static List<TraceSpan> decode(ExportTraceServiceRequest request) {
    HexFormat hex = HexFormat.of();
    List<TraceSpan> decoded = new ArrayList<>();
    for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
      String service = attributes(resourceSpans.getResource().getAttributesList()).getOrDefault("service.name", "?");
      for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
        for (Span span : scopeSpans.getSpansList()) {
          List<String> links = new ArrayList<>();
          for (Span.Link link : span.getLinksList()) {
            links.add(hex.formatHex(link.getTraceId().toByteArray()) + "/" + hex.formatHex(link.getSpanId().toByteArray()));
          }
          decoded.add(new TraceSpan(
              hex.formatHex(span.getTraceId().toByteArray()),
              hex.formatHex(span.getSpanId().toByteArray()),
              hex.formatHex(span.getParentSpanId().toByteArray()),
              service,
              span.getName(),
              span.getKind().name().replace("SPAN_KIND_", ""),
              span.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR,
              span.getStartTimeUnixNano() / 1_000,
              (span.getEndTimeUnixNano() - span.getStartTimeUnixNano()) / 1_000,
              attributes(span.getAttributesList()),
              List.copyOf(links)));
        }
      }
    }
    return decoded;
  }

  private static Map<String, String> attributes(List<KeyValue> keyValues) {
    Map<String, String> attributes = new LinkedHashMap<>();
    for (KeyValue keyValue : keyValues) {
      AnyValue value = keyValue.getValue();
      String text =
          switch (value.getValueCase()) {
            case STRING_VALUE -> value.getStringValue();
            case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
            case INT_VALUE -> Long.toString(value.getIntValue());
            case DOUBLE_VALUE -> Double.toString(value.getDoubleValue());
            default -> value.toString().trim();
          };
      attributes.put(keyValue.getKey(), text);
    }
    return Map.copyOf(attributes);
  }
}
