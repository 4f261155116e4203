package dev.baton.example.orders.local;

import static dev.baton.testing.SpanAssertions.assertLinks;
import static io.opentelemetry.api.common.AttributeKey.booleanKey;
import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;

import dev.baton.testing.LambdaEvents;
import dev.baton.testing.LocalLambdaRuntime;
import dev.baton.testing.OtlpReceiver;
import dev.baton.testing.ZipkinServer;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The example end to end, from its deployment jar: the three handlers in JVMs of their own
 * through the real runtime interface client, real queues and topic on local servers, and every
 * span exported twice, with {@code otel.traces.exporter=otlp,zipkin}: to a real Zipkin server,
 * whose HTTP API must show one trace across the three functions (and the payment provider's
 * stand-in, called over HTTP) in the right parent-child chain,
 * and to an in-memory OTLP collector, which also keeps the span links Zipkin drops.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OrderPipelineIT {

  private static final Duration ZIPKIN_WAIT = Duration.ofSeconds(20);

  private ZipkinServer zipkin;
  private OtlpReceiver collector;
  private LocalPipeline pipeline;

  @BeforeAll
  void start() throws Exception {
    long started = System.nanoTime();
    zipkin = ZipkinServer.launch(); // starts while the pipeline does
    collector = OtlpReceiver.start();
    pipeline = LocalPipeline.start(new LocalPipeline.Options(
        Path.of(System.getProperty("example.function.jar")),
        Files.readString(Path.of(System.getProperty("example.local.runtime.classpath"))).trim(),
        collector.endpoint(),
        zipkin.spansEndpoint()));
    zipkin.awaitHealthy();
    System.out.printf("[figures] Zipkin, ElasticMQ, DynamoDB Local, fauxqs and three function JVMs started in %d ms%n",
        (System.nanoTime() - started) / 1_000_000);
  }

  private static String awsTraceHeader(software.amazon.awssdk.services.sqs.model.Message message) {
    return message.attributes().get(software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName.AWS_TRACE_HEADER);
  }

  @AfterAll
  void stop() {
    if (pipeline != null) {
      pipeline.close();
    }
    if (collector != null) {
      collector.close();
    }
    if (zipkin != null) {
      zipkin.close();
    }
  }

  @Test
  @Order(1)
  void oneOrderIsOneTraceAcrossThreeFunctionsInZipkin() throws Exception {
    long started = System.nanoTime();
    LocalPipeline.Run run = pipeline.placeOrder(LambdaEvents.json("events/order.json"));
    System.out.printf("[figures] one order through three cold functions: %d ms%n", (System.nanoTime() - started) / 1_000_000);

    // AWS-like: every message carries the X-Ray header of the function that sent it, unsampled,
    // from a trace that is not the W3C one; through SNS too.
    assertThat(run.processed().messages()).allSatisfy(message -> assertThat(awsTraceHeader(message)).endsWith("Sampled=0"));
    assertThat(run.notified().messages()).allSatisfy(message -> assertThat(awsTraceHeader(message)).endsWith("Sampled=0"));

    String traceId = invocation(run.placed()).getTraceId();
    List<SpanData> exported = exported(traceId);
    List<SpanData> stored = zipkinTrace(traceId, exported.size());
    System.out.println(new TraceTree(stored).render());
    System.out.printf("[figures] trace %s: %d spans across %d functions and the payment provider%n", traceId, stored.size(),
        stored.stream().map(TraceTree::service).filter(s -> !s.equals(PaymentProviderStandIn.SERVICE)).distinct().count());

    assertThat(stored).as("Zipkin holds every exported span").hasSameSizeAs(exported);
    assertThat(stored.stream().map(TraceTree::service).collect(Collectors.toSet()))
        .containsExactlyInAnyOrder("place-order", "process-order", "notify-customer", PaymentProviderStandIn.SERVICE);

    // The relay, as Zipkin shows it (it lower-cases span names; its tags are strings).
    SpanData post = one(stored, "place-order", "post /orders");
    assertThat(post).as("the order starts the trace").hasNoParent();
    assertThat(post)
        .hasKind(SpanKind.SERVER)
        .hasAttribute(stringKey("http.request.method"), "POST")
        .hasAttribute(stringKey("http.route"), "/orders")
        .hasAttribute(stringKey("http.response.status_code"), "201")
        .hasAttribute(stringKey("faas.trigger"), "http")
        .hasAttribute(stringKey("faas.coldstart"), "true");
    SpanData validate = childOf(stored, post, "placeorderhandler.validate");
    childOf(stored, validate, "check order limits");
    SpanData putItem = childOf(stored, post, "dynamodb.putitem");
    assertThat(putItem).hasKind(SpanKind.CLIENT)
        .hasAttribute(stringKey("rpc.system"), "aws-api")
        .hasAttribute(stringKey("rpc.method"), "PutItem");
    SpanData sendOrder = childOf(stored, post, "send orders");
    String orderMessageId = run.processed().messages().get(0).messageId();
    assertThat(sendOrder).hasKind(SpanKind.PRODUCER).hasAttribute(stringKey("messaging.message.id"), orderMessageId);

    SpanData processBatch = childOf(stored, sendOrder, "process orders");
    assertThat(TraceTree.service(processBatch)).isEqualTo("process-order");
    assertThat(processBatch)
        .hasAttribute(stringKey("faas.trigger"), "pubsub")
        .hasAttribute(stringKey("faas.coldstart"), "true");
    SpanData processMessage = childOf(stored, processBatch, "process orders");
    assertThat(processMessage).hasKind(SpanKind.CONSUMER).hasAttribute(stringKey("messaging.message.id"), orderMessageId);
    assertThat(childOf(stored, processMessage, "reserve stock")).hasAttribute(stringKey("order.id"), run.orderId());
    // The HTTP hop: java.net.http.HttpClient.send, woven; the provider continues the trace.
    SpanData charge = childOf(stored, processMessage, "post");
    assertThat(charge)
        .hasKind(SpanKind.CLIENT)
        .hasAttribute(stringKey("http.request.method"), "POST")
        .hasAttribute(stringKey("http.response.status_code"), "201")
        .hasAttribute(stringKey("server.address"), "127.0.0.1");
    assertThat(charge.getAttributes().get(stringKey("url.full"))).isNotNull();
    SpanData payment = childOf(stored, charge, "post /payments");
    assertThat(TraceTree.service(payment)).isEqualTo(PaymentProviderStandIn.SERVICE);
    assertThat(payment).hasKind(SpanKind.SERVER);
    childOf(stored, processMessage, "dynamodb.updateitem");
    SpanData publish = childOf(stored, processMessage, "send order-events");
    assertThat(publish).hasKind(SpanKind.PRODUCER).hasAttribute(stringKey("messaging.system"), "aws.sns");

    SpanData notifyBatch = childOf(stored, publish, "process order-notifications");
    assertThat(TraceTree.service(notifyBatch)).as("context from the SNS envelope in the SQS body").isEqualTo("notify-customer");
    SpanData notifyMessage = childOf(stored, notifyBatch, "process order-notifications");
    childOf(stored, notifyMessage, "render confirmation");
    SpanData sendEmail = childOf(stored, notifyMessage, "send email");
    assertThat(sendEmail).hasAttribute(stringKey("email.recipient_domain"), "example.com");
    assertThat(sendEmail.getAttributes().get(stringKey("customer.email"))).as("hashed, never the address")
        .matches("[0-9a-f]{64}");
    assertThat(exported).allSatisfy(span -> assertThat(span.getAttributes().asMap().values())
        .noneMatch(v -> String.valueOf(v).contains("ada@example.com")));

    // The function's log line carries the ids of the span it was written in.
    assertThat(pipeline.notifyCustomerOutput())
        .contains("INFO  NotifyCustomerHandler - email to a customer at example.com: Thank you! Order " + run.orderId())
        .contains("trace_id=" + traceId + " span_id=" + sendEmail.getSpanId() + " trace_flags=01 xray_trace_id=1-"
            + traceId.substring(0, 8) + "-" + traceId.substring(8));

    assertThat(stored).noneMatch(TraceTree::isError);
  }

  @Test
  @Order(2)
  void aBatchOfTwoOrdersLinksItsInvocationToBothTracesAndEachTraceGoesOn() throws Exception {
    LocalLambdaRuntime.Result first = pipeline.post(LambdaEvents.json("events/order.json"));
    LocalLambdaRuntime.Result second = pipeline.post(LambdaEvents.json("events/order.json"));
    SqsEventSource.Delivery processed = pipeline.processOrders(2);
    SqsEventSource.Delivery notified = pipeline.notifyCustomers(2);
    assertThat(processed.failedMessageIds()).isEmpty();
    assertThat(notified.failedMessageIds()).isEmpty();

    SpanData firstPost = invocation(first);
    SpanData secondPost = invocation(second);
    assertThat(firstPost.getTraceId()).isNotEqualTo(secondPost.getTraceId());
    SpanData firstSend = one(exported(firstPost.getTraceId()), "place-order", "send orders");
    SpanData secondSend = one(exported(secondPost.getTraceId()), "place-order", "send orders");

    // The batch has two contexts: its invocation span starts a trace of its own and links both.
    SpanData batch = invocation(processed.result());
    assertThat(batch).hasNoParent().hasAttribute(longKey("messaging.batch.message_count"), 2L);
    assertLinks(batch, link(firstSend), link(secondSend));

    // Each message's process span continues its own order's trace and links back to the batch.
    for (SpanData send : List.of(firstSend, secondSend)) {
      List<SpanData> trace = exported(send.getTraceId());
      SpanData process = one(trace, "process-order", "process orders");
      assertThat(process).hasParentSpanId(send.getSpanId());
      assertLinks(process, link(batch));
      SpanData publish = one(trace, "process-order", "send order-events");
      assertThat(publish).hasParentSpanId(process.getSpanId());
      SpanData notify = one(trace, "notify-customer", "process order-notifications");
      assertThat(notify).hasParentSpanId(publish.getSpanId());
      assertThat(notify.getLinks()).hasSize(1);
      assertThat(trace.stream().map(TraceTree::service).distinct()).hasSize(4);

      // Zipkin keeps each order's trace across the three functions; it has no field for links, so
      // only the OTLP copy above shows them.
      List<SpanData> stored = zipkinTrace(send.getTraceId(), trace.size());
      assertThat(stored).hasSameSizeAs(trace);
      assertThat(stored.stream().map(TraceTree::service).collect(Collectors.toSet())).hasSize(4);
    }
  }

  @Test
  @Order(3)
  void anInvalidOrderIsA400AndItsValidationSpanSaysWhy() throws Exception {
    LocalLambdaRuntime.Result result = pipeline.post("{\"customerId\":\"c-1\",\"email\":\"nobody\",\"lines\":[]}");

    assertThat(result.error()).isFalse();
    assertThat(result.body()).contains("\"statusCode\":400").contains("email");
    SpanData post = invocation(result);
    assertThat(post.getStatus().getStatusCode()).as("a 4xx is not a server error").isNotEqualTo(StatusCode.ERROR);
    assertThat(post)
        .hasAttribute(longKey("http.response.status_code"), 400L)
        .hasAttribute(booleanKey("faas.coldstart"), false);
    SpanData validate = one(exported(post.getTraceId()), "place-order", "PlaceOrderHandler.validate");
    assertThat(validate)
        .hasStatusSatisfying(status -> status.hasCode(StatusCode.ERROR))
        .hasAttribute(stringKey("error.type"), "dev.baton.example.orders.InvalidOrderException");
    assertThat(exported(post.getTraceId())).extracting(SpanData::getName)
        .doesNotContain("DynamoDb.PutItem", "send orders");
  }

  /** The invocation span of {@code result}, which Baton exported before the function returned. */
  private SpanData invocation(LocalLambdaRuntime.Result result) {
    List<SpanData> found = collector.spans().stream()
        .filter(span -> result.requestId().equals(span.getAttributes().get(stringKey("faas.invocation_id"))))
        .toList();
    assertThat(found).as("invocation span of %s", result.requestId()).hasSize(1);
    return found.get(0);
  }

  /** The spans of trace {@code traceId} exported over OTLP so far. */
  private List<SpanData> exported(String traceId) {
    return collector.trace(traceId);
  }

  /** {@code traceId:spanId}, as {@code SpanAssertions.assertLinks} takes a link. */
  private static String link(SpanData span) {
    return span.getTraceId() + ":" + span.getSpanId();
  }

  private static SpanData one(List<SpanData> spans, String service, String name) {
    return only(spans, span -> TraceTree.service(span).equals(service) && span.getName().equals(name), service + " " + name);
  }

  private static SpanData childOf(List<SpanData> spans, SpanData parent, String name) {
    return only(spans, span -> span.getParentSpanId().equals(parent.getSpanId()) && span.getName().equals(name),
        "'" + name + "' under '" + parent.getName() + "'");
  }

  private static SpanData only(List<SpanData> spans, Predicate<SpanData> test, String what) {
    List<SpanData> found = spans.stream().filter(test).toList();
    assertThat(found).as("%s in\n%s", what, new TraceTree(spans).render()).hasSize(1);
    return found.get(0);
  }

  /** Zipkin's copy of the trace, once it holds {@code expected} spans (it indexes asynchronously). */
  private List<SpanData> zipkinTrace(String traceId, int expected) throws InterruptedException {
    long deadline = System.nanoTime() + ZIPKIN_WAIT.toNanos();
    List<SpanData> spans = ZipkinTraces.spans(zipkin.get("/api/v2/trace/" + traceId));
    while (spans.size() < expected && System.nanoTime() < deadline) {
      Thread.sleep(100); // polling for arrival, not timing anything
      spans = ZipkinTraces.spans(zipkin.get("/api/v2/trace/" + traceId));
    }
    return spans;
  }
}
