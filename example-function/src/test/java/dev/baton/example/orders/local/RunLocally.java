package dev.baton.example.orders.local;

import dev.baton.testing.LambdaEvents;
import dev.baton.testing.OtlpReceiver;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.TreeMap;
import software.amazon.awssdk.protocols.jsoncore.JsonWriter;

/**
 * README command 1: runs the order pipeline on this machine and prints its trace.
 *
 * <p>Places one order through {@code POST /orders}, lets it flow through the orders queue, {@code
 * process-order}, the order-events topic and the notifications queue to {@code notify-customer},
 * then prints the trace as a tree, writes {@code <example.output.dir>/example-trace.svg}, and ends
 * with {@code trace <id>: <N> spans across 3 functions and the payment provider}. The functions export over OTLP to a local
 * collector, or, with {@code -Dexample.zipkin=http://127.0.0.1:9411}, to that Zipkin, from which
 * the trace is then read back.
 */
public final class RunLocally {

  private static final Duration ZIPKIN_WAIT = Duration.ofSeconds(20);

  private RunLocally() {}

  public static void main(String[] args) throws Exception {
    int status = 1;
    try {
      run();
      status = 0;
    } catch (Exception | Error e) {
      System.err.println("the example failed: " + e);
      e.printStackTrace();
    }
    // ElasticMQ's actor system and DynamoDB Local leave non-daemon threads behind.
    System.exit(status);
  }

  private static void run() throws Exception {
    Path functionJar = Path.of(System.getProperty("example.function.jar", "target/orders-function.jar"));
    String runtimeClasspath =
        Files.readString(Path.of(System.getProperty("example.local.runtime.classpath", "target/local-runtime.classpath"))).trim();
    Path outputDir = Path.of(System.getProperty("example.output.dir", "target"));
    String zipkin = System.getProperty("example.zipkin", "").trim().replaceAll("/+$", "");

    long started = System.nanoTime();
    List<SpanData> spans;
    String traceId;
    String logLine;
    if (zipkin.isEmpty()) {
      try (OtlpReceiver collector = OtlpReceiver.start();
          LocalPipeline pipeline =
              LocalPipeline.start(new LocalPipeline.Options(functionJar, runtimeClasspath, collector.endpoint(), null))) {
        LocalPipeline.Run run = pipeline.placeOrder(LambdaEvents.json("events/order.json"));
        traceId = collector.spans().stream()
            .filter(span -> run.placed().requestId()
                .equals(span.getAttributes().get(AttributeKey.stringKey("faas.invocation_id"))))
            .map(SpanData::getTraceId)
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("place-order's invocation span never arrived"));
        spans = collector.trace(traceId);
        logLine = emailLogLine(pipeline);
      }
    } else {
      try (LocalPipeline pipeline =
          LocalPipeline.start(new LocalPipeline.Options(functionJar, runtimeClasspath, null, zipkin + "/api/v2/spans"))) {
        LocalPipeline.Run run = pipeline.placeOrder(LambdaEvents.json("events/order.json"));
        traceId = zipkinTraceOf(zipkin, run.orderId());
        spans = zipkinTrace(zipkin, traceId);
        System.out.println("Zipkin: " + zipkin + "/zipkin/traces/" + traceId);
        logLine = emailLogLine(pipeline);
      }
    }
    long millis = (System.nanoTime() - started) / 1_000_000;

    TraceTree tree = new TraceTree(spans);
    long functions = spans.stream().map(TraceTree::service).filter(s -> !s.equals(PaymentProviderStandIn.SERVICE)).distinct().count();
    Files.createDirectories(outputDir);
    Path picture = outputDir.resolve("example-trace.svg");
    Files.writeString(picture, Waterfall.svg(traceId, tree), StandardCharsets.UTF_8);
    Path json = outputDir.resolve("example-trace.json");
    Files.writeString(json, json(tree), StandardCharsets.UTF_8);

    System.out.println();
    System.out.print(tree.render());
    System.out.println();
    System.out.println("notify-customer's log: " + logLine);
    System.out.println("waterfall: " + picture.toAbsolutePath());
    System.out.println("every span with its attributes and links: " + json.toAbsolutePath());
    System.out.println("servers, three function JVMs and one order, start to finish: " + millis + " ms");
    System.out.println("trace " + traceId + ": " + spans.size() + " spans across " + functions + " functions and the payment provider");
  }

  /** The line {@code notify-customer} logged for the email, with the trace id Baton put into the MDC. */
  private static String emailLogLine(LocalPipeline pipeline) {
    return pipeline.notifyCustomerOutput().lines()
        .filter(line -> line.contains("email to a customer"))
        .findFirst()
        .orElse("(none)");
  }

  /** The spans in tree order, with everything recorded on them, as JSON. */
  private static String json(TraceTree tree) {
    JsonWriter writer = JsonWriter.create();
    writer.writeStartArray();
    for (TraceTree.Row row : tree.rows()) {
      SpanData span = row.span();
      writer.writeStartObject();
      writer.writeFieldName("function").writeValue(TraceTree.service(span));
      writer.writeFieldName("name").writeValue(span.getName());
      writer.writeFieldName("kind").writeValue(span.getKind().name());
      writer.writeFieldName("spanId").writeValue(span.getSpanId());
      writer.writeFieldName("parentSpanId").writeValue(span.getParentSpanContext().isValid() ? span.getParentSpanId() : "");
      writer.writeFieldName("durationMicros").writeValue(TraceTree.durationMicros(span));
      writer.writeFieldName("error").writeValue(TraceTree.isError(span));
      writer.writeFieldName("attributes").writeStartObject();
      TreeMap<String, String> attributes = new TreeMap<>();
      span.getAttributes().forEach((key, value) -> attributes.put(key.getKey(), String.valueOf(value)));
      attributes.forEach((key, value) -> writer.writeFieldName(key).writeValue(value));
      writer.writeEndObject();
      writer.writeFieldName("links").writeStartArray();
      span.getLinks().forEach(link ->
          writer.writeValue(link.getSpanContext().getTraceId() + "/" + link.getSpanContext().getSpanId()));
      writer.writeEndArray();
      writer.writeEndObject();
    }
    writer.writeEndArray();
    return new String(writer.getBytes(), StandardCharsets.UTF_8);
  }

  /** The trace in Zipkin that has a span tagged {@code order.id=<orderId>}. */
  private static String zipkinTraceOf(String zipkin, String orderId) throws Exception {
    String query = "/api/v2/traces?limit=1&lookback=3600000&annotationQuery="
        + URLEncoder.encode("order.id=" + orderId, StandardCharsets.UTF_8);
    long deadline = System.nanoTime() + ZIPKIN_WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      List<String> ids = ZipkinTraces.traceIds(get(zipkin + query));
      if (!ids.isEmpty()) {
        return ids.get(0);
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("Zipkin at " + zipkin + " has no trace with order.id=" + orderId);
  }

  /** The trace's spans once Zipkin holds all three functions' and the provider's, and the count has settled. */
  private static List<SpanData> zipkinTrace(String zipkin, String traceId) throws Exception {
    long deadline = System.nanoTime() + ZIPKIN_WAIT.toNanos();
    List<SpanData> previous = List.of();
    while (true) {
      List<SpanData> spans = ZipkinTraces.spans(get(zipkin + "/api/v2/trace/" + traceId));
      boolean settled = spans.size() == previous.size() && spans.stream().map(TraceTree::service).distinct().count() == 4;
      if (settled || System.nanoTime() > deadline) {
        return spans;
      }
      previous = spans;
      Thread.sleep(250);
    }
  }

  private static String get(String url) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient()
        .send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    return response.statusCode() == 200 ? response.body() : null;
  }
}
