package dev.baton.example.orders.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testing.LambdaEvents;
import dev.baton.testing.LocalLambdaRuntime;
import dev.baton.testing.OtlpReceiver;
import dev.baton.testing.ZipkinServer;
import io.opentelemetry.api.common.AttributeKey;
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

    String traceId = invocation(run.placed()).traceId();
    List<TraceSpan> exported = exported(traceId);
    List<TraceSpan> stored = zipkinTrace(traceId, exported.size());
    System.out.println(new TraceTree(stored).render());
    System.out.printf("[figures] trace %s: %d spans across %d functions and the payment provider%n", traceId, stored.size(),
        stored.stream().map(TraceSpan::service).filter(s -> !s.equals(PaymentProviderStandIn.SERVICE)).distinct().count());

    assertThat(stored).as("Zipkin holds every exported span").hasSameSizeAs(exported);
    assertThat(stored.stream().map(TraceSpan::service).collect(Collectors.toSet()))
        .containsExactlyInAnyOrder("place-order", "process-order", "notify-customer", PaymentProviderStandIn.SERVICE);

    // The relay, as Zipkin shows it (it lower-cases span names).
    TraceSpan post = one(stored, "place-order", "post /orders");
    assertThat(post.isRoot()).as("the order starts the trace").isTrue();
    assertThat(post.kind()).isEqualTo("SERVER");
    assertThat(post.attributes())
        .containsEntry("http.request.method", "POST")
        .containsEntry("http.route", "/orders")
        .containsEntry("http.response.status_code", "201")
        .containsEntry("faas.trigger", "http")
        .containsEntry("faas.coldstart", "true");
    TraceSpan validate = childOf(stored, post, "placeorderhandler.validate");
    childOf(stored, validate, "check order limits");
    TraceSpan putItem = childOf(stored, post, "dynamodb.putitem");
    assertThat(putItem.kind()).isEqualTo("CLIENT");
    assertThat(putItem.attributes()).containsEntry("rpc.system", "aws-api").containsEntry("rpc.method", "PutItem");
    TraceSpan sendOrder = childOf(stored, post, "send orders");
    assertThat(sendOrder.kind()).isEqualTo("PRODUCER");
    String orderMessageId = run.processed().messages().get(0).messageId();
    assertThat(sendOrder.attributes()).containsEntry("messaging.message.id", orderMessageId);

    TraceSpan processBatch = childOf(stored, sendOrder, "process orders");
    assertThat(processBatch.service()).isEqualTo("process-order");
    assertThat(processBatch.attributes()).containsEntry("faas.trigger", "pubsub").containsEntry("faas.coldstart", "true");
    TraceSpan processMessage = childOf(stored, processBatch, "process orders");
    assertThat(processMessage.kind()).isEqualTo("CONSUMER");
    assertThat(processMessage.attributes()).containsEntry("messaging.message.id", orderMessageId);
    assertThat(childOf(stored, processMessage, "reserve stock").attributes()).containsEntry("order.id", run.orderId());
    // The HTTP hop: java.net.http.HttpClient.send, woven; the provider continues the trace.
    TraceSpan charge = childOf(stored, processMessage, "post");
    assertThat(charge.kind()).isEqualTo("CLIENT");
    assertThat(charge.attributes())
        .containsEntry("http.request.method", "POST")
        .containsEntry("http.response.status_code", "201")
        .containsEntry("server.address", "127.0.0.1")
        .containsKey("url.full");
    TraceSpan payment = childOf(stored, charge, "post /payments");
    assertThat(payment.service()).isEqualTo(PaymentProviderStandIn.SERVICE);
    assertThat(payment.kind()).isEqualTo("SERVER");
    childOf(stored, processMessage, "dynamodb.updateitem");
    TraceSpan publish = childOf(stored, processMessage, "send order-events");
    assertThat(publish.kind()).isEqualTo("PRODUCER");
    assertThat(publish.attributes()).containsEntry("messaging.system", "aws.sns");

    TraceSpan notifyBatch = childOf(stored, publish, "process order-notifications");
    assertThat(notifyBatch.service()).as("context from the SNS envelope in the SQS body").isEqualTo("notify-customer");
    TraceSpan notifyMessage = childOf(stored, notifyBatch, "process order-notifications");
    childOf(stored, notifyMessage, "render confirmation");
    TraceSpan sendEmail = childOf(stored, notifyMessage, "send email");
    assertThat(sendEmail.attributes()).containsEntry("email.recipient_domain", "example.com");
    assertThat(sendEmail.attributes().get("customer.email")).as("hashed, never the address")
        .matches("[0-9a-f]{64}");
    assertThat(exported).allSatisfy(span -> assertThat(span.attributes().values()).noneMatch(v -> v.contains("ada@example.com")));

    // The function's log line carries the ids of the span it was written in.
    assertThat(pipeline.notifyCustomerOutput())
        .contains("INFO  NotifyCustomerHandler - email to a customer at example.com: Thank you! Order " + run.orderId())
        .contains("trace_id=" + traceId + " span_id=" + sendEmail.spanId() + " trace_flags=01 xray_trace_id=1-"
            + traceId.substring(0, 8) + "-" + traceId.substring(8));

    assertThat(stored).noneMatch(TraceSpan::error);
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

    TraceSpan firstPost = invocation(first);
    TraceSpan secondPost = invocation(second);
    assertThat(firstPost.traceId()).isNotEqualTo(secondPost.traceId());
    TraceSpan firstSend = one(exported(firstPost.traceId()), "place-order", "send orders");
    TraceSpan secondSend = one(exported(secondPost.traceId()), "place-order", "send orders");

    // The batch has two contexts: its invocation span starts a trace of its own and links both.
    TraceSpan batch = invocation(processed.result());
    assertThat(batch.isRoot()).isTrue();
    assertThat(batch.attributes()).containsEntry("messaging.batch.message_count", "2");
    assertThat(batch.links()).containsExactlyInAnyOrder(link(firstSend), link(secondSend));

    // Each message's process span continues its own order's trace and links back to the batch.
    for (TraceSpan send : List.of(firstSend, secondSend)) {
      List<TraceSpan> trace = exported(send.traceId());
      TraceSpan process = one(trace, "process-order", "process orders");
      assertThat(process.parentSpanId()).isEqualTo(send.spanId());
      assertThat(process.links()).containsExactly(link(batch));
      TraceSpan publish = one(trace, "process-order", "send order-events");
      assertThat(publish.parentSpanId()).isEqualTo(process.spanId());
      TraceSpan notify = one(trace, "notify-customer", "process order-notifications");
      assertThat(notify.parentSpanId()).isEqualTo(publish.spanId());
      assertThat(notify.links()).hasSize(1);
      assertThat(trace.stream().map(TraceSpan::service).distinct()).hasSize(4);

      // Zipkin keeps each order's trace across the three functions; it has no field for links, so
      // only the OTLP copy above shows them.
      List<TraceSpan> stored = zipkinTrace(send.traceId(), trace.size());
      assertThat(stored).hasSameSizeAs(trace);
      assertThat(stored.stream().map(TraceSpan::service).collect(Collectors.toSet())).hasSize(4);
    }
  }

  @Test
  @Order(3)
  void anInvalidOrderIsA400AndItsValidationSpanSaysWhy() throws Exception {
    LocalLambdaRuntime.Result result = pipeline.post("{\"customerId\":\"c-1\",\"email\":\"nobody\",\"lines\":[]}");

    assertThat(result.error()).isFalse();
    assertThat(result.body()).contains("\"statusCode\":400").contains("email");
    TraceSpan post = invocation(result);
    assertThat(post.error()).as("a 4xx is not a server error").isFalse();
    assertThat(post.attributes()).containsEntry("http.response.status_code", "400").containsEntry("faas.coldstart", "false");
    TraceSpan validate = one(exported(post.traceId()), "place-order", "PlaceOrderHandler.validate");
    assertThat(validate.error()).isTrue();
    assertThat(validate.attributes()).containsEntry("error.type", "dev.baton.example.orders.InvalidOrderException");
    assertThat(exported(post.traceId())).extracting(TraceSpan::name)
        .doesNotContain("DynamoDb.PutItem", "send orders");
  }

  /** The invocation span of {@code result}, which Baton exported before the function returned. */
  private TraceSpan invocation(LocalLambdaRuntime.Result result) {
    List<TraceSpan> found = collector.spans().stream()
        .filter(span -> result.requestId()
            .equals(span.getAttributes().get(AttributeKey.stringKey("faas.invocation_id"))))
        .map(TraceSpan::of)
        .toList();
    assertThat(found).as("invocation span of %s", result.requestId()).hasSize(1);
    return found.get(0);
  }

  /** The spans of trace {@code traceId} exported over OTLP so far. */
  private List<TraceSpan> exported(String traceId) {
    return collector.trace(traceId).stream().map(TraceSpan::of).toList();
  }

  private static String link(TraceSpan span) {
    return span.traceId() + "/" + span.spanId();
  }

  private static TraceSpan one(List<TraceSpan> spans, String service, String name) {
    return only(spans, span -> span.service().equals(service) && span.name().equals(name), service + " " + name);
  }

  private static TraceSpan childOf(List<TraceSpan> spans, TraceSpan parent, String name) {
    return only(spans, span -> span.parentSpanId().equals(parent.spanId()) && span.name().equals(name),
        "'" + name + "' under '" + parent.name() + "'");
  }

  private static TraceSpan only(List<TraceSpan> spans, Predicate<TraceSpan> test, String what) {
    List<TraceSpan> found = spans.stream().filter(test).toList();
    assertThat(found).as("%s in\n%s", what, new TraceTree(spans).render()).hasSize(1);
    return found.get(0);
  }

  /** Zipkin's copy of the trace, once it holds {@code expected} spans (it indexes asynchronously). */
  private List<TraceSpan> zipkinTrace(String traceId, int expected) throws InterruptedException {
    long deadline = System.nanoTime() + ZIPKIN_WAIT.toNanos();
    List<TraceSpan> spans = ZipkinTraces.spans(zipkin.get("/api/v2/trace/" + traceId));
    while (spans.size() < expected && System.nanoTime() < deadline) {
      Thread.sleep(100); // polling for arrival, not timing anything
      spans = ZipkinTraces.spans(zipkin.get("/api/v2/trace/" + traceId));
    }
    return spans;
  }
}
