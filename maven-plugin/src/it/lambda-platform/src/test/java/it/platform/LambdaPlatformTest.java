package it.platform;

import static dev.baton.testing.SpanAssertions.assertChildOf;
import static io.opentelemetry.api.common.AttributeKey.booleanKey;
import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;

import dev.baton.testing.ElasticMqServer;
import dev.baton.testing.LambdaEvents;
import dev.baton.testing.LocalLambdaRuntime;
import dev.baton.testing.OtlpReceiver;
import dev.baton.testing.XrayDaemon;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Baton's built-in setup where AWS is less kind than a laptop, each function in a fresh JVM
 * through the real AWS runtime interface client and {@link LocalLambdaRuntime}, which plays
 * Lambda's Runtime API as Lambda behaves: an X-Ray header on every invocation ({@code Sampled=0}
 * unless active tracing is on), Managed Instances' concurrent invocations, the process frozen
 * between invocations, SnapStart. Spans go to {@link OtlpReceiver}, a stand-in for a collector
 * (none can be installed here).
 */
class LambdaPlatformTest {

  private static final Pattern RETURNED_AT = Pattern.compile("returnedAt\\\\\":(\\d+)");
  private static final List<String> CHECKOUT_SPANS =
      List.of("POST /orders", "Checkout.identify", "Checkout.price", "Checkout.reserve", "Checkout.audit");
  private static final AttributeKey<String> FAAS_INVOCATION_ID = stringKey("faas.invocation_id");
  private static final AttributeKey<Boolean> FAAS_COLDSTART = booleanKey("faas.coldstart");

  private static LocalLambdaRuntime.Builder function(Class<?> handler, String name, OtlpReceiver receiver) {
    return LocalLambdaRuntime.builder(handler.getName())
        .functionName(name)
        .environment("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint());
  }

  /** An HTTP API request in a trace of its own. */
  private record Request(String traceId, String parentSpanId, String event) {
    static Request inNewTrace() {
      HexFormat hex = HexFormat.of();
      byte[] trace = new byte[16];
      byte[] span = new byte[8];
      ThreadLocalRandom.current().nextBytes(trace);
      ThreadLocalRandom.current().nextBytes(span);
      String traceId = hex.formatHex(trace);
      String spanId = hex.formatHex(span);
      String event =
          LambdaEvents.json(LambdaEvents.HTTP_API)
              .replace(LambdaEvents.TRACEPARENT, "00-" + traceId + "-" + spanId + "-01");
      return new Request(traceId, spanId, event);
    }
  }

  private record Sent(Request request, LocalLambdaRuntime.Result result) {}

  /**
   * Invokes and waits until the invocation's spans were exported: after the response, by Baton's
   * Lambda extension, which has asked for its next event once it is done (classic mode only).
   */
  private static LocalLambdaRuntime.Result invoke(LocalLambdaRuntime lambda, LocalLambdaRuntime.Invocation invocation)
      throws Exception {
    LocalLambdaRuntime.Result result = lambda.invoke(invocation);
    lambda.awaitExtensionsDone(result, Duration.ofSeconds(30));
    return result;
  }

  @Test
  void eightInvocationsAtOnceExportEverySpanIntoItsOwnTrace() throws Exception {
    int clients = 8;
    int requestsEach = 40;
    try (OtlpReceiver receiver = OtlpReceiver.start();
        LocalLambdaRuntime lambda =
            function(Checkout.class, "checkout", receiver)
                .maxConcurrency(clients)
                // Per invocation: 5 spans fit, 8 invocations' spans together would not.
                .environment("OTEL_BSP_MAX_QUEUE_SIZE", "8")
                .start()) {
      ExecutorService pool = Executors.newFixedThreadPool(clients);
      List<Future<List<Sent>>> running = new ArrayList<>();
      try {
        for (int c = 0; c < clients; c++) {
          // The first eight arrive together while the SDK is still being set up.
          running.add(pool.submit(() -> {
            List<Sent> sent = new ArrayList<>();
            for (int i = 0; i < requestsEach; i++) {
              Request request = Request.inNewTrace();
              sent.add(new Sent(request, lambda.invoke(LocalLambdaRuntime.invocation(request.event()))));
            }
            return sent;
          }));
        }
        List<Sent> all = new ArrayList<>();
        for (Future<List<Sent>> client : running) {
          all.addAll(client.get(5, TimeUnit.MINUTES));
        }
        // Exported after the responses, in the background (Managed Instances never freeze).
        awaitSpans(receiver, clients * requestsEach * CHECKOUT_SPANS.size());

        assertThat(all).hasSize(clients * requestsEach);
        Set<String> traces = new HashSet<>();
        for (Sent sent : all) {
          assertThat(sent.result().error()).as(lambda.output()).isFalse();
          traces.add(sent.request().traceId());
          List<SpanData> trace = receiver.trace(sent.request().traceId());
          assertThat(trace).extracting(SpanData::getName)
              .as("trace %s", sent.request().traceId())
              .containsExactlyInAnyOrderElementsOf(CHECKOUT_SPANS);
          SpanData invocation = named(trace, "POST /orders");
          assertThat(invocation)
              .hasAttribute(FAAS_INVOCATION_ID, sent.result().requestId())
              .hasParentSpanId(sent.request().parentSpanId());
          assertThat(trace).filteredOn(span -> span != invocation)
              .allSatisfy(span -> assertChildOf(span, invocation));
          assertThat(named(trace, "Checkout.audit"))
              .hasAttribute(stringKey("checkout.request_id"), sent.result().requestId());
        }
        assertThat(receiver.spans()).as("no span in a trace of its own, none lost, none twice")
            .hasSize(clients * requestsEach * CHECKOUT_SPANS.size())
            .allSatisfy(span -> assertThat(traces).contains(span.getTraceId()));
        assertThat(receiver.spans().stream().filter(s -> Boolean.TRUE.equals(s.getAttributes().get(FAAS_COLDSTART))))
            .as("one cold start among the first invocations")
            .hasSize(1);
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void everyLogLineCarriesTheIdsOfTheSpanItWasWrittenIn() throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.start();
        LocalLambdaRuntime lambda = function(Checkout.class, "checkout", receiver).start()) {
      Request request = Request.inNewTrace();
      LocalLambdaRuntime.Result result = invoke(lambda, LocalLambdaRuntime.invocation(request.event()));
      assertThat(result.error()).as(lambda.output()).isFalse();

      List<SpanData> trace = receiver.trace(request.traceId());
      SpanData invocation = named(trace, "POST /orders");
      SpanData price = named(trace, "Checkout.price");
      String xray = "1-" + request.traceId().substring(0, 8) + "-" + request.traceId().substring(8);
      assertThat(lambda.output())
          .contains("LOG pricing 28 bytes trace_id=" + request.traceId() + " span_id=" + price.getSpanId()
              + " trace_flags=01 xray_trace_id=" + xray)
          .contains("LOG checked out trace_id=" + request.traceId() + " span_id=" + invocation.getSpanId()
              + " trace_flags=01");
    }
  }

  @Test
  void aDrippingCollectorHoldsAnInvocationAtMostTheFlushTimeoutAndOnlyOnce() throws Exception {
    // Healthy for the first export (a warm function), then it drips every answer.
    try (OtlpReceiver dripping = OtlpReceiver.dripping(Duration.ofMillis(50), 1);
        LocalLambdaRuntime lambda =
            function(Checkout.class, "checkout", dripping)
                .environment("BATON_FLUSH_TIMEOUT_MS", "300")
                .start()) {
      Request warmUp = Request.inNewTrace();
      assertThat(invoke(lambda, LocalLambdaRuntime.invocation(warmUp.event())).error()).isFalse();
      assertThat(dripping.trace(warmUp.traceId())).hasSize(CHECKOUT_SPANS.size());

      List<Long> held = new ArrayList<>();
      List<Long> heldEnvironment = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        LocalLambdaRuntime.Result result = lambda.invoke(LocalLambdaRuntime.invocation(Request.inNewTrace().event()));
        long answered = System.currentTimeMillis();
        assertThat(result.error()).as(lambda.output()).isFalse();
        Matcher returnedAt = RETURNED_AT.matcher(result.body());
        assertThat(returnedAt.find()).as(result.body()).isTrue();
        held.add(answered - Long.parseLong(returnedAt.group(1)));
        lambda.awaitExtensionsDone(result, Duration.ofSeconds(30));
        heldEnvironment.add(result.extensionsDoneAfterResponse().orElseThrow().toMillis());
      }
      System.out.printf("[figures] dripping collector, BATON_FLUSH_TIMEOUT_MS=300: answered %s ms after the handler returned;"
          + " the environment held %s ms past the response%n", held, heldEnvironment);

      assertThat(held).allSatisfy(millis -> assertThat(millis).isLessThanOrEqualTo(300 + 100));
      // The environment: the export, then the extension's request for its next event; the slack is
      // for a busy machine (the ITs run two at a time on two cores).
      assertThat(heldEnvironment).allSatisfy(millis -> assertThat(millis).isLessThanOrEqualTo(300 + 250));
      assertThat(dripping.requestCount())
          .as("the warm-up, then one export that was cut off; the next invocations left the collector alone")
          .isEqualTo(2);
    }
  }

  @Test
  void aCollectorThatStallsItsAnswersBodiesHoldsNoInvocationPastTheFlushTimeout() throws Exception {
    // Healthy for the first export, then every answer's 200 comes after 150 ms and its body
    // stalls: each export is a success, so there is no back-off, and only the exporter's own
    // bound on the body (100 ms after the status) keeps every export from running into the flush
    // timeout (500 ms: the 250 ms an export takes here leave room on a busy machine), failing,
    // and holding its spans back.
    try (OtlpReceiver stalling = OtlpReceiver.drippingBody(Duration.ofMillis(150), Duration.ofHours(1), 1);
        LocalLambdaRuntime lambda =
            function(Checkout.class, "checkout", stalling)
                .environment("BATON_FLUSH_TIMEOUT_MS", "500")
                .start()) {
      Request warmUp = Request.inNewTrace();
      assertThat(invoke(lambda, LocalLambdaRuntime.invocation(warmUp.event())).error()).isFalse();

      List<Long> held = new ArrayList<>();
      List<String> traces = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        Request request = Request.inNewTrace();
        traces.add(request.traceId());
        LocalLambdaRuntime.Result result = lambda.invoke(LocalLambdaRuntime.invocation(request.event()));
        long answered = System.currentTimeMillis();
        assertThat(result.error()).as(lambda.output()).isFalse();
        Matcher returnedAt = RETURNED_AT.matcher(result.body());
        assertThat(returnedAt.find()).as(result.body()).isTrue();
        held.add(answered - Long.parseLong(returnedAt.group(1)));
        lambda.awaitExtensionsDone(result, Duration.ofSeconds(30));
      }
      System.out.printf("[figures] collector stalling its answers' bodies (200 after 150 ms), BATON_FLUSH_TIMEOUT_MS=500: answered %s ms after the handler returned%n", held);

      assertThat(held).allSatisfy(millis -> assertThat(millis).isLessThanOrEqualTo(500 + 100));
      assertThat(traces).as("every export a success, none held back")
          .allSatisfy(trace -> assertThat(stalling.trace(trace)).hasSize(CHECKOUT_SPANS.size()));
      assertThat(stalling.requestCount()).isEqualTo(5);
    }
  }

  @Test
  void everySpanIsExportedBeforeTheProcessIsFrozen() throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.start();
        LocalLambdaRuntime lambda =
            function(Checkout.class, "checkout", receiver).freezeBetweenInvocations(true).start()) {
      for (int i = 0; i < 3; i++) {
        Request request = Request.inNewTrace();
        LocalLambdaRuntime.Result result = invoke(lambda, LocalLambdaRuntime.invocation(request.event()));
        long frozen = lambda.awaitFreeze(result, Duration.ofSeconds(30));

        List<SpanData> trace = receiver.trace(request.traceId());
        assertThat(trace).extracting(SpanData::getName).containsExactlyInAnyOrderElementsOf(CHECKOUT_SPANS);
        assertThat(trace).allSatisfy(span -> assertThat(receiver.order(span)).isLessThan(frozen));
      }
      assertThat(lambda.freezeCount()).isEqualTo(3);
    }
  }

  @Test
  void lambdasXrayHeaderParentsTheInvocationOnlyWhenSampled() throws Exception {
    String scheduled = LambdaEvents.json(LambdaEvents.SCHEDULED);
    try (OtlpReceiver receiver = OtlpReceiver.start()) {
      try (LocalLambdaRuntime tracingOff = function(Nightly.class, "nightly", receiver).start()) {
        LocalLambdaRuntime.Result result = invoke(tracingOff, LocalLambdaRuntime.invocation(scheduled));
        assertThat(result.traceHeader()).endsWith("Sampled=0");
        SpanData invocation = invocationSpan(receiver, result);
        assertThat(invocation.getTraceId()).as("a trace of its own, recorded").isNotEqualTo(xrayTraceId(result.traceHeader()));
        assertThat(invocation).hasNoParent();
      }
      // Managed Instances: each invocation's header is its own, on its own thread.
      try (LocalLambdaRuntime active =
          function(Nightly.class, "nightly", receiver).activeTracing(true).maxConcurrency(4).start()) {
        List<Future<LocalLambdaRuntime.Result>> results = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          results.add(active.invokeAsync(LocalLambdaRuntime.invocation(scheduled)));
        }
        for (Future<LocalLambdaRuntime.Result> future : results) {
          future.get(60, TimeUnit.SECONDS);
        }
        awaitSpans(receiver, 1 + 8);
        for (Future<LocalLambdaRuntime.Result> future : results) {
          LocalLambdaRuntime.Result result = future.get(60, TimeUnit.SECONDS);
          assertThat(result.traceHeader()).endsWith("Sampled=1");
          SpanData invocation = invocationSpan(receiver, result);
          assertThat(invocation).hasTraceId(xrayTraceId(result.traceHeader()))
              .hasParentSpanId(xrayParent(result.traceHeader()));
        }
      }
    }
  }

  @Test
  void aSnapStartRestoreMakesTheFirstInvocationAColdStartAgain() throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.start();
        LocalLambdaRuntime lambda =
            function(PrimedReport.class, "report", receiver).snapStart(true).start()) {
      LocalLambdaRuntime.Result first =
          invoke(lambda, LocalLambdaRuntime.invocation(LambdaEvents.json(LambdaEvents.SCHEDULED)));
      LocalLambdaRuntime.Result second =
          invoke(lambda, LocalLambdaRuntime.invocation(LambdaEvents.json(LambdaEvents.SCHEDULED)));

      assertThat(first.body()).contains("reported");
      assertThat(lambda.restoreRequestedOrder()).isPresent();
      List<SpanData> priming =
          receiver.spans().stream().filter(span -> span.getAttributes().get(FAAS_INVOCATION_ID) == null).toList();
      assertThat(priming).as("the priming invocation before the snapshot").hasSize(1);
      assertThat(priming.get(0)).hasAttribute(FAAS_COLDSTART, true);
      assertThat(receiver.order(priming.get(0))).isLessThan(lambda.restoreRequestedOrder().getAsLong());
      assertThat(invocationSpan(receiver, first)).hasAttribute(FAAS_COLDSTART, true);
      assertThat(invocationSpan(receiver, second)).hasAttribute(FAAS_COLDSTART, false);
    }
  }

  @Test
  void withXraySelectedEverySpanReachesLambdasDaemonInDatagramsWithinTheLimit() throws Exception {
    try (XrayDaemon daemon = XrayDaemon.start();
        LocalLambdaRuntime lambda =
            LocalLambdaRuntime.builder(Bulk.class.getName())
                .functionName("bulk")
                .activeTracing(true)
                .environment("OTEL_TRACES_EXPORTER", "xray")
                .environment("AWS_XRAY_DAEMON_ADDRESS", daemon.address())
                .environment("OTEL_BSP_MAX_QUEUE_SIZE", "10000")
                .start()) {
      LocalLambdaRuntime.Result many = invoke(lambda, LocalLambdaRuntime.invocation("{\"spans\":\"5000\"}"));
      LocalLambdaRuntime.Result large = invoke(lambda, LocalLambdaRuntime.invocation("{\"blob\":\"100000\"}"));

      assertThat(many.body()).as(lambda.output()).contains("done 5000");
      // Datagrams arrive a little after they were sent; every span was sent before the response.
      assertThat(daemon.awaitSpans(5_000 + 1 + 2, Duration.ofSeconds(30))).as(lambda.output()).hasSize(5_000 + 1 + 2);
      assertThat(daemon.malformed()).isEmpty();
      assertThat(daemon.datagramSizes()).allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(65_507));
      SpanData invocation = invocationSpan(daemon.spans(), many);
      assertThat(invocation.getTraceId()).as("Lambda's own segment parents it").isEqualTo(xrayTraceId(many.traceHeader()));
      assertThat(invocation).hasParentSpanId(xrayParent(many.traceHeader()));
      assertThat(daemon.trace(invocation.getTraceId()).stream().filter(span -> span.getName().equals("Bulk.step")))
          .hasSize(5_000)
          .allSatisfy(step -> assertChildOf(step, invocation));
      assertThat(daemon.datagramSizes()).hasSizeGreaterThan(2);
      System.out.printf("[figures] 5,000 spans of one invocation to the X-Ray daemon in %d datagrams of at most %d bytes%n",
          daemon.datagramSizes().size(), daemon.datagramSizes().stream().mapToInt(Integer::intValue).max().orElse(0));

      SpanData annotated = daemon.trace(xrayTraceId(large.traceHeader())).stream()
          .filter(span -> span.getName().equals("Bulk.annotate")).findFirst().orElseThrow();
      assertThat(annotated).hasAttribute(stringKey("bulk.note"), "kept");
      assertThat(annotated.getAttributes().asMap().keySet()).extracting(AttributeKey::getKey).doesNotContain("bulk.blob");
      String traceId = invocation.getTraceId();
      long epochSeconds = Long.parseLong(traceId.substring(0, 8), 16);
      assertThat(epochSeconds).as("X-Ray's trace ids begin with the epoch seconds").isGreaterThan(1_700_000_000L);
    }
  }

  @Test
  void aBadXraySetupNeverBreaksTheFunction() throws Exception {
    int closedPort;
    try (java.net.DatagramSocket probe = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = probe.getLocalPort();
    }
    for (String address : List.of("127.0.0.1:" + closedPort, "udp:nowhere", "no-such-daemon.invalid:2000")) {
      try (LocalLambdaRuntime lambda =
          LocalLambdaRuntime.builder(Bulk.class.getName())
              .functionName("bulk")
              .activeTracing(true)
              .environment("OTEL_TRACES_EXPORTER", "xray")
              .environment("AWS_XRAY_DAEMON_ADDRESS", address)
              .start()) {
        for (int i = 0; i < 3; i++) {
          LocalLambdaRuntime.Result result = invoke(lambda, LocalLambdaRuntime.invocation("{\"spans\":\"3\"}"));
          assertThat(result.error()).as(address + "\n" + lambda.output()).isFalse();
          assertThat(result.body()).contains("done 3");
        }
        assertThat(lambda.output()).as(address).contains("Baton:");
      }
    }
  }

  @Test
  void aFailedInvocationIsExportedWholeWhereTheHeadSamplerDroppedIt() throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.start();
        LocalLambdaRuntime lambda =
            function(Checkout.class, "checkout", receiver)
                .environment("OTEL_TRACES_SAMPLER", "traceidratio")
                .environment("OTEL_TRACES_SAMPLER_ARG", "0")
                .start()) {
      Request succeeded = Request.inNewTrace();
      Request threw = Request.inNewTrace();
      Request unavailable = Request.inNewTrace();
      LocalLambdaRuntime.Result ok = invoke(lambda, LocalLambdaRuntime.invocation(succeeded.event()));
      LocalLambdaRuntime.Result thrown =
          invoke(lambda, LocalLambdaRuntime.invocation(threw.event().replace("book", "boom")));
      LocalLambdaRuntime.Result answered503 =
          invoke(lambda, LocalLambdaRuntime.invocation(unavailable.event().replace("book", "unavailable")));
      LocalLambdaRuntime.Result later = invoke(lambda, LocalLambdaRuntime.invocation(Request.inNewTrace().event()));

      assertThat(ok.error()).as(lambda.output()).isFalse();
      assertThat(later.error()).isFalse();
      assertThat(thrown.error()).isTrue();
      assertThat(thrown.body()).contains("checkout failed: boom");
      assertThat(answered503.body()).contains("\"statusCode\":503");
      for (LocalLambdaRuntime.Result failed : List.of(thrown, answered503)) {
        Request request = failed == thrown ? threw : unavailable;
        List<SpanData> trace = receiver.trace(request.traceId());
        assertThat(trace).extracting(SpanData::getName)
            .as("every span of the failed invocation, in the incoming trace")
            .containsExactlyInAnyOrderElementsOf(CHECKOUT_SPANS);
        SpanData invocation = named(trace, "POST /orders");
        assertThat(invocation)
            .hasStatusSatisfying(status -> status.hasCode(StatusCode.ERROR))
            .hasParentSpanId(request.parentSpanId())
            .hasAttribute(FAAS_INVOCATION_ID, failed.requestId());
        assertThat(trace).filteredOn(span -> span != invocation)
            .allSatisfy(span -> assertChildOf(span, invocation));
        assertThat(trace).as("exported before the extension asked for its next event")
            .allSatisfy(span -> assertThat(receiver.order(span)).isLessThan(failed.extensionsDoneOrder().orElseThrow()));
      }
      assertThat(named(receiver.trace(threw.traceId()), "POST /orders"))
          .hasAttribute(stringKey("error.type"), "java.lang.IllegalStateException");
      assertThat(named(receiver.trace(unavailable.traceId()), "POST /orders"))
          .hasAttribute(stringKey("error.type"), "503");
      assertThat(receiver.spans()).as("successful invocations stay unexported, as the sampler said")
          .hasSize(2 * CHECKOUT_SPANS.size());
      assertThat(lambda.output()).contains("LOG checked out trace_id=" + succeeded.traceId())
          .contains("trace_flags=00");
    }
  }

  @Test
  void anUnsampledParentDropsSuccessfulInvocationsButNotFailedOnes() throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.start();
        LocalLambdaRuntime lambda = function(Checkout.class, "checkout", receiver).start()) {
      Request succeeded = Request.inNewTrace();
      Request threw = Request.inNewTrace();
      invoke(lambda, LocalLambdaRuntime.invocation(unsampled(succeeded.event())));
      LocalLambdaRuntime.Result failed =
          invoke(lambda, LocalLambdaRuntime.invocation(unsampled(threw.event()).replace("book", "boom")));

      assertThat(failed.error()).isTrue();
      assertThat(receiver.trace(succeeded.traceId())).isEmpty();
      List<SpanData> trace = receiver.trace(threw.traceId());
      assertThat(trace).extracting(SpanData::getName).containsExactlyInAnyOrderElementsOf(CHECKOUT_SPANS);
      assertThat(named(trace, "POST /orders")).hasParentSpanId(threw.parentSpanId());
      assertThat(receiver.spans()).hasSize(CHECKOUT_SPANS.size());
    }
  }

  @Test
  void withBatonAlwaysSampleErrorsFalseTheSamplersDecisionIsFinal() throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.start();
        LocalLambdaRuntime lambda =
            function(Checkout.class, "checkout", receiver)
                .environment("OTEL_TRACES_SAMPLER", "traceidratio")
                .environment("OTEL_TRACES_SAMPLER_ARG", "0")
                .environment("BATON_ALWAYS_SAMPLE_ERRORS", "false")
                .start()) {
      Request threw = Request.inNewTrace();
      LocalLambdaRuntime.Result failed =
          invoke(lambda, LocalLambdaRuntime.invocation(threw.event().replace("book", "boom")));
      LocalLambdaRuntime.Result after = invoke(lambda, LocalLambdaRuntime.invocation(Request.inNewTrace().event()));

      assertThat(failed.error()).as(lambda.output()).isTrue();
      assertThat(after.error()).isFalse();
      assertThat(receiver.spans()).isEmpty();
      assertThat(lambda.output()).doesNotContain("Baton:");
    }
  }

  @Test
  void anSqsBatchWithItemFailuresIsExportedWithItsSdkCallsAndSendsTheHeadDecisionOn() throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.start();
        ElasticMqServer sqs = ElasticMqServer.start();
        SqsClient client = sqs.client()) {
      String shipments = client.createQueue(create -> create.queueName("shipments")).queueUrl();
      try (LocalLambdaRuntime lambda =
          function(Fulfil.class, "fulfil", receiver)
              .environment("OTEL_TRACES_SAMPLER", "traceidratio")
              .environment("OTEL_TRACES_SAMPLER_ARG", "0")
              .environment("AWS_ENDPOINT_URL_SQS", sqs.endpoint().toString())
              .environment("AWS_REGION", ElasticMqServer.REGION.id())
              .environment("AWS_ACCESS_KEY_ID", "test")
              .environment("AWS_SECRET_ACCESS_KEY", "test")
              .environment("SHIPMENTS_QUEUE_URL", shipments)
              .start()) {
        Request allShipped = Request.inNewTrace();
        Request oneFailed = Request.inNewTrace();
        LocalLambdaRuntime.Result shipped = invoke(lambda, LocalLambdaRuntime.invocation(batch(allShipped, false)));
        LocalLambdaRuntime.Result partial = invoke(lambda, LocalLambdaRuntime.invocation(batch(oneFailed, true)));

        assertThat(shipped.error()).as(lambda.output()).isFalse();
        assertThat(partial.body()).as(lambda.output()).contains("a2");
        assertThat(receiver.trace(allShipped.traceId())).isEmpty();
        List<SpanData> trace = receiver.trace(oneFailed.traceId());
        SpanData invocation = invocationSpan(trace, partial);
        assertThat(invocation)
            .hasStatusSatisfying(status -> status.hasCode(StatusCode.ERROR))
            .hasAttribute(longKey("baton.batch_item_failures"), 1L)
            .hasParentSpanId(oneFailed.parentSpanId());
        List<SpanData> ships = trace.stream().filter(span -> span.getName().equals("Fulfil.ship")).toList();
        assertThat(ships).hasSize(2).allSatisfy(ship -> assertChildOf(ship, invocation));
        List<SpanData> sends = trace.stream().filter(span -> span.getKind() == SpanKind.PRODUCER).toList();
        assertThat(sends).as("the AWS SDK calls, %s", trace).hasSize(2)
            .allSatisfy(send -> assertThat(ships.stream().anyMatch(ship -> isChildOf(send, ship))).isTrue());
        assertThat(receiver.spans()).hasSize(trace.size());

        List<String> sentOn = new ArrayList<>();
        for (int i = 0; i < 10 && sentOn.size() < 4; i++) {
          client.receiveMessage(receive -> receive.queueUrl(shipments).maxNumberOfMessages(10)
                  .messageAttributeNames("All").waitTimeSeconds(1))
              .messages()
              .forEach(message -> sentOn.add(message.messageAttributes().get("traceparent").stringValue()));
        }
        assertThat(sentOn).as("the context sent downstream keeps the head decision").hasSize(4)
            .allSatisfy(traceparent -> assertThat(traceparent).endsWith("-00"));
        assertThat(sentOn).filteredOn(traceparent -> traceparent.contains(oneFailed.traceId())).hasSize(2);
      }
    }
  }

  @Test
  void aHashedAttributeIsAKeyedHashAndTheRawValueIsExportedNowhere() throws Exception {
    String huge = "x".repeat(100_000) + "@example.com";
    try (OtlpReceiver receiver = OtlpReceiver.start();
        LocalLambdaRuntime lambda =
            function(Checkout.class, "checkout", receiver).environment("BATON_ATTRIBUTE_HASH_KEY", "s3cret").start()) {
      String ada1 = hashed(receiver, lambda, "ada@example.com");
      String ada2 = hashed(receiver, lambda, "ada@example.com");
      String bob = hashed(receiver, lambda, "bob@example.com");
      String none = hashed(receiver, lambda, null);
      String big = hashed(receiver, lambda, huge);

      assertThat(ada1).isEqualTo(ada2).isEqualTo(hmacSha256("s3cret", "ada@example.com"));
      assertThat(bob).isNotEqualTo(ada1).isEqualTo(hmacSha256("s3cret", "bob@example.com"));
      assertThat(none).as("a null argument records nothing").isNull();
      assertThat(big).isEqualTo(hmacSha256("s3cret", huge));
      assertThat(receiver.spans()).allSatisfy(span -> {
        assertThat(span.getAttributes().asMap().values()).noneMatch(value -> String.valueOf(value).contains("@example.com"));
        assertThat(span.getResource().getAttributes().asMap().values())
            .noneMatch(value -> String.valueOf(value).contains("@example.com"));
      });
      assertThat(lambda.output()).doesNotContain("BATON_ATTRIBUTE_HASH_KEY");
    }
    try (OtlpReceiver receiver = OtlpReceiver.start();
        LocalLambdaRuntime lambda =
            function(Checkout.class, "checkout", receiver).environment("BATON_ATTRIBUTE_HASH_KEY", "").start()) {
      String first = hashed(receiver, lambda, "ada@example.com");
      String second = hashed(receiver, lambda, "ada@example.com");

      assertThat(first).as("an empty key: a random key of this environment's own")
          .matches("[0-9a-f]{64}").isEqualTo(second)
          .isNotEqualTo(hmacSha256("", "ada@example.com"));
      assertThat(lambda.output().split("BATON_ATTRIBUTE_HASH_KEY", -1)).as("reported once: %s", lambda.output())
          .hasSizeGreaterThan(1);
      assertThat(lambda.output().lines().filter(line -> line.contains("hashed attributes without"))).hasSize(1);
    }
  }

  /** Invokes with header x-customer (none for null); the hashed attribute it recorded, or null. */
  private static String hashed(OtlpReceiver receiver, LocalLambdaRuntime lambda, String email) throws Exception {
    Request request = Request.inNewTrace();
    String event = email == null
        ? request.event()
        : request.event().replace("\"headers\": {", "\"headers\": {\"x-customer\": \"" + email + "\",");
    LocalLambdaRuntime.Result result = invoke(lambda, LocalLambdaRuntime.invocation(event));
    assertThat(result.error()).as(lambda.output()).isFalse();
    return named(receiver.trace(request.traceId()), "Checkout.identify").getAttributes().get(stringKey("customer.email"));
  }

  private static String hmacSha256(String key, String value) throws Exception {
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    byte[] keyBytes = key.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    mac.init(new javax.crypto.spec.SecretKeySpec(keyBytes.length == 0 ? new byte[1] : keyBytes, "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(value.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  /** The request's event with its traceparent saying "not sampled". */
  private static String unsampled(String event) {
    return event.replaceFirst("(00-[0-9a-f]{32}-[0-9a-f]{16})-01", "$1-00");
  }

  /** Two orders in {@code request}'s trace (not sampled); the second fails when {@code fail}. */
  private static String batch(Request request, boolean fail) {
    String event = LambdaEvents.json(LambdaEvents.SQS_BATCH_SHARED_CONTEXT)
        .replace(LambdaEvents.TRACEPARENT, "00-" + request.traceId() + "-" + request.parentSpanId() + "-00");
    return fail ? event.replace("o-5", "o-5-fail") : event;
  }

  private static SpanData invocationSpan(List<SpanData> spans, LocalLambdaRuntime.Result result) {
    List<SpanData> found =
        spans.stream().filter(span -> result.requestId().equals(span.getAttributes().get(FAAS_INVOCATION_ID))).toList();
    assertThat(found).as("invocation span of %s", result.requestId()).hasSize(1);
    return found.get(0);
  }

  /** Waits until {@code receiver} has {@code count} spans (exported in the background). */
  static void awaitSpans(OtlpReceiver receiver, int count) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (receiver.spans().size() < count && System.nanoTime() < until) {
      Thread.sleep(10);
    }
    assertThat(receiver.spans()).hasSize(count);
  }

  private static SpanData named(List<SpanData> spans, String name) {
    List<SpanData> found = spans.stream().filter(span -> span.getName().equals(name)).toList();
    assertThat(found).as("%s in %s", name, spans).hasSize(1);
    return found.get(0);
  }

  /** {@code child}'s parent is {@code parent}, in the same trace. */
  private static boolean isChildOf(SpanData child, SpanData parent) {
    return child.getTraceId().equals(parent.getTraceId()) && child.getParentSpanId().equals(parent.getSpanId());
  }

  private static SpanData invocationSpan(OtlpReceiver receiver, LocalLambdaRuntime.Result result) {
    List<SpanData> found =
        receiver.spans().stream()
            .filter(span -> result.requestId().equals(span.getAttributes().get(FAAS_INVOCATION_ID)))
            .toList();
    assertThat(found).as("invocation span of %s", result.requestId()).hasSize(1);
    return found.get(0);
  }

  /** {@code Root=1-5759e988-bd862e3f...;Parent=...} gives {@code 5759e988bd862e3f...}. */
  private static String xrayTraceId(String header) {
    Matcher root = Pattern.compile("Root=1-([0-9a-f]{8})-([0-9a-f]{24})").matcher(header);
    assertThat(root.find()).as(header).isTrue();
    return root.group(1) + root.group(2);
  }

  private static String xrayParent(String header) {
    Matcher parent = Pattern.compile("Parent=([0-9a-f]{16})").matcher(header);
    assertThat(parent.find()).as(header).isTrue();
    return parent.group(1);
  }
}
