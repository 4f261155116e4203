package it.platform;

import static io.opentelemetry.api.common.AttributeKey.booleanKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;

import dev.baton.testing.LambdaEvents;
import dev.baton.testing.LocalLambdaRuntime;
import dev.baton.testing.OtlpReceiver;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Baton exports each invocation's spans after the response, on its internal Lambda extension's
 * thread, and before Lambda freezes the environment: through the real runtime client and {@link
 * LocalLambdaRuntime}, which plays Lambda's Runtime and Extensions APIs (the response goes back
 * as soon as the runtime posts it; the JVM is frozen only once the runtime and every extension
 * asked for their next event). Ordering is asserted, not speed: the benchmarks measure that.
 */
class AfterResponseTest {

  private static final AttributeKey<String> FAAS_INVOCATION_ID = stringKey("faas.invocation_id");

  private static final String SCHEDULED = LambdaEvents.json(LambdaEvents.SCHEDULED);

  private static LocalLambdaRuntime.Builder function(Class<?> handler, OtlpReceiver receiver) {
    return LocalLambdaRuntime.builder(handler.getName())
        .functionName(handler.getSimpleName().toLowerCase())
        .environment("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint());
  }

  @Test
  void everySpanOfAThousandInvocationsReachesTheCollectorAfterTheResponseAndBeforeTheFreeze() throws Exception {
    int invocations = 1_000;
    try (OtlpReceiver receiver = OtlpReceiver.start();
        LocalLambdaRuntime lambda = function(Nightly.class, receiver).freezeBetweenInvocations(true).start()) {
      Map<String, LocalLambdaRuntime.Result> results = new HashMap<>();
      Map<String, Long> frozen = new HashMap<>();
      for (int i = 0; i < invocations; i++) {
        LocalLambdaRuntime.Result result = lambda.invoke(LocalLambdaRuntime.invocation(SCHEDULED));
        assertThat(result.error()).as(lambda.output()).isFalse();
        frozen.put(result.requestId(), lambda.awaitFreeze(result, Duration.ofSeconds(30)));
        results.put(result.requestId(), result);
      }

      assertThat(lambda.extensions()).extracting(LocalLambdaRuntime.Extension::events)
          .as("Baton's extension, registered for INVOKE during init").containsExactly(List.of("INVOKE"));
      assertThat(lambda.freezeCount()).isEqualTo(invocations);
      assertThat(lambda.resetCount()).isZero();
      assertThat(receiver.spans()).hasSize(invocations);
      for (SpanData span : receiver.spans()) {
        String requestId = span.getAttributes().get(FAAS_INVOCATION_ID);
        LocalLambdaRuntime.Result result = results.get(requestId);
        assertThat(result).as("span of %s", requestId).isNotNull();
        assertThat(receiver.order(span)).as("exported before the freeze after %s", requestId)
            .isLessThan(frozen.get(requestId))
            .isLessThan(result.extensionsDoneOrder().orElseThrow());
      }
      assertThat(lambda.output()).doesNotContain("Baton:");
    }
  }

  @Test
  void withACollectorThatAnswersIn50msTheCallerHasItsResponseBeforeTheCollectorAnswers() throws Exception {
    try (OtlpReceiver slow = OtlpReceiver.slow(Duration.ofMillis(50));
        LocalLambdaRuntime lambda = function(Checkout.class, slow).freezeBetweenInvocations(true).start()) {
      List<Long> runtime = new ArrayList<>();
      List<Long> afterResponse = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        LocalLambdaRuntime.Result result = lambda.invoke(LocalLambdaRuntime.invocation(checkout()));
        assertThat(result.error()).as(lambda.output()).isFalse();
        long frozen = lambda.awaitFreeze(result, Duration.ofSeconds(30));

        List<SpanData> spans = invocation(slow, result);
        assertThat(spans).hasSize(5);
        for (SpanData span : spans) {
          long answered = slow.answeredOrder(span).orElseThrow();
          assertThat(result.order()).as("the response arrived before the collector answered the export")
              .isLessThan(answered);
          assertThat(answered).as("the extension asked for its next event once the export was answered")
              .isLessThan(result.extensionsDoneOrder().orElseThrow());
          assertThat(slow.order(span)).isLessThan(frozen);
        }
        runtime.add(result.runtimeDuration().toMillis());
        afterResponse.add(result.extensionsDoneAfterResponse().orElseThrow().toMillis());
      }
      System.out.printf("[figures] after-response, collector answering in 50 ms: runtime posted its response %s ms"
          + " after the event was handed over; the extension asked for its next event %s ms after the response%n",
          runtime, afterResponse);
    }
  }

  @Test
  void withBatonExportBeforeResponseTheCallerWaitsForTheCollectorAsBefore() throws Exception {
    try (OtlpReceiver slow = OtlpReceiver.slow(Duration.ofMillis(50));
        LocalLambdaRuntime lambda = function(Checkout.class, slow)
            .environment("BATON_EXPORT", "before-response")
            .freezeBetweenInvocations(true)
            .start()) {
      List<Long> runtime = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        LocalLambdaRuntime.Result result = lambda.invoke(LocalLambdaRuntime.invocation(checkout()));
        assertThat(result.error()).as(lambda.output()).isFalse();
        lambda.awaitFreeze(result, Duration.ofSeconds(30));
        assertThat(invocation(slow, result)).hasSize(5).allSatisfy(span -> assertThat(slow.answeredOrder(span).orElseThrow())
            .as("the collector answered before the response").isLessThan(result.order()));
        runtime.add(result.runtimeDuration().toMillis());
      }
      assertThat(lambda.extensions()).as("no extension registered").isEmpty();
      System.out.printf("[figures] before-response, collector answering in 50 ms: runtime posted its response %s ms"
          + " after the event was handed over%n", runtime);
    }
  }

  @Test
  void aDeadOrDrippingCollectorHoldsTheEnvironmentAtMostTheFlushTimeoutAndNeverTheCaller() throws Exception {
    for (String kind : List.of("stalled", "dripping")) {
      OtlpReceiver bad = kind.equals("stalled") ? OtlpReceiver.stalled() : OtlpReceiver.dripping(Duration.ofMillis(50));
      try (bad;
          LocalLambdaRuntime lambda = function(Checkout.class, bad)
              .environment("BATON_FLUSH_TIMEOUT_MS", "1000")
              .freezeBetweenInvocations(true)
              .start()) {
        List<Long> held = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          LocalLambdaRuntime.Result result = lambda.invoke(LocalLambdaRuntime.invocation(checkout()));
          assertThat(result.error()).as(lambda.output()).isFalse();
          lambda.awaitFreeze(result, Duration.ofSeconds(30));
          assertThat(result.environmentReset()).isEmpty();
          assertThat(result.extensionsDoneOrder().orElseThrow()).isGreaterThan(result.order());
          held.add(result.extensionsDoneAfterResponse().orElseThrow().toMillis());
        }
        System.out.printf("[figures] %s collector, BATON_FLUSH_TIMEOUT_MS=1000, after-response: the environment held"
            + " %s ms past the response%n", kind, held);
        // Unbounded, either would hold the environment until the function's timeout (60 s here);
        // the slack is for a busy machine (the ITs run two at a time on two cores).
        assertThat(held).allSatisfy(millis -> assertThat(millis).isLessThanOrEqualTo(1000 + 250));
        assertThat(lambda.resetCount()).isZero();
      }
    }
    // Nothing listening at all.
    int closedPort;
    try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
      closedPort = probe.getLocalPort();
    }
    try (LocalLambdaRuntime lambda = LocalLambdaRuntime.builder(Checkout.class.getName())
        .environment("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + closedPort)
        .environment("BATON_FLUSH_TIMEOUT_MS", "1000")
        .freezeBetweenInvocations(true)
        .start()) {
      for (int i = 0; i < 3; i++) {
        LocalLambdaRuntime.Result result = lambda.invoke(LocalLambdaRuntime.invocation(checkout()));
        assertThat(result.error()).as(lambda.output()).isFalse();
        lambda.awaitFreeze(result, Duration.ofSeconds(30));
        assertThat(result.extensionsDoneAfterResponse().orElseThrow().toMillis()).isLessThanOrEqualTo(1000 + 250);
      }
    }
  }

  @Test
  void anEventTheRuntimeCannotReadHoldsTheEnvironmentAtMostTheFlushTimeoutNotUntilTheFunctionsTimeout() throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.start();
        LocalLambdaRuntime lambda = function(Checkout.class, receiver)
            .environment("BATON_FLUSH_TIMEOUT_MS", "500")
            .invocationTimeout(Duration.ofSeconds(20))
            .freezeBetweenInvocations(true)
            .start()) {
      // Not an API Gateway event: the runtime client fails to deserialize it and never calls the
      // handler, so no @TracedHandler method starts, and nothing is handed over.
      LocalLambdaRuntime.Result unreadable = lambda.invoke(LocalLambdaRuntime.invocation("[1,2]"));
      lambda.awaitFreeze(unreadable, Duration.ofSeconds(30));
      LocalLambdaRuntime.Result next = lambda.invoke(LocalLambdaRuntime.invocation(checkout()));
      lambda.awaitFreeze(next, Duration.ofSeconds(30));

      assertThat(unreadable.error()).isTrue();
      long held = unreadable.extensionsDoneAfterResponse().orElseThrow().toMillis();
      System.out.printf("[figures] an event the runtime cannot read, BATON_FLUSH_TIMEOUT_MS=500: the environment held"
          + " %d ms past the error response (the function's timeout: 20 s)%n", held);
      assertThat(held).as("the wait for the invocation's start is bounded by the flush timeout").isLessThanOrEqualTo(500 + 250);
      assertThat(unreadable.environmentReset()).isEmpty();
      assertThat(next.error()).as(lambda.output()).isFalse();
      assertThat(invocation(receiver, next)).as("the next invocation is traced as usual").hasSize(5);
    }
  }

  @Test
  void whenLambdaRefusesTheRegistrationSpansAreExportedBeforeTheResponseAndBatonSaysSoOnce() throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.start()) {
      for (boolean closed : List.of(true, false)) {
        LocalLambdaRuntime.Builder builder = function(Checkout.class, receiver).freezeBetweenInvocations(true);
        builder = closed ? builder.extensionRegistrationClosed(true) : builder.extensionsApi(false);
        try (LocalLambdaRuntime lambda = builder.start()) {
          for (int i = 0; i < 3; i++) {
            LocalLambdaRuntime.Result result = lambda.invoke(LocalLambdaRuntime.invocation(checkout()));
            assertThat(result.error()).as(lambda.output()).isFalse();
            lambda.awaitFreeze(result, Duration.ofSeconds(30));
            assertThat(invocation(receiver, result)).hasSize(5)
                .allSatisfy(span -> assertThat(receiver.order(span)).as("exported before the response").isLessThan(result.order()));
          }
          assertThat(lambda.extensions()).isEmpty();
          assertThat(lambda.output().lines().filter(line -> line.contains("could not register its Lambda extension")))
              .as(lambda.output()).hasSize(1)
              .allSatisfy(line -> assertThat(line).contains(closed ? "403" : "404")
                  .contains("spans are exported before each response instead of after it"));
        }
      }
    }
  }

  @Test
  void anInvocationThatFailsIsExportedAfterItsErrorResponseToo() throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.start();
        LocalLambdaRuntime lambda = function(Checkout.class, receiver).freezeBetweenInvocations(true).start()) {
      LocalLambdaRuntime.Result failed = lambda.invoke(LocalLambdaRuntime.invocation(checkout().replace("book", "boom")));
      long frozen = lambda.awaitFreeze(failed, Duration.ofSeconds(30));
      LocalLambdaRuntime.Result next = lambda.invoke(LocalLambdaRuntime.invocation(checkout()));
      lambda.awaitFreeze(next, Duration.ofSeconds(30));

      assertThat(failed.error()).isTrue();
      assertThat(invocation(receiver, failed)).hasSize(5).allSatisfy(span -> assertThat(receiver.order(span)).isLessThan(frozen));
      assertThat(invocation(receiver, next)).hasSize(5);
    }
  }

  @Test
  void onManagedInstancesSpansAreExportedAfterTheResponsesInTheBackground() throws Exception {
    int invocations = 24;
    try (OtlpReceiver slow = OtlpReceiver.slow(Duration.ofMillis(50));
        LocalLambdaRuntime lambda = function(Checkout.class, slow).maxConcurrency(4).start()) {
      List<java.util.concurrent.Future<LocalLambdaRuntime.Result>> running = new ArrayList<>();
      for (int i = 0; i < invocations; i++) {
        running.add(lambda.invokeAsync(LocalLambdaRuntime.invocation(checkout())));
      }
      List<LocalLambdaRuntime.Result> results = new ArrayList<>();
      for (java.util.concurrent.Future<LocalLambdaRuntime.Result> result : running) {
        results.add(result.get(60, java.util.concurrent.TimeUnit.SECONDS));
      }
      LambdaPlatformTest.awaitSpans(slow, invocations * 5);

      assertThat(lambda.extensions()).as("Lambda lets internal extensions subscribe to no event there").isEmpty();
      for (LocalLambdaRuntime.Result result : results) {
        assertThat(result.error()).as(lambda.output()).isFalse();
        assertThat(invocation(slow, result)).hasSize(5).allSatisfy(span ->
            assertThat(result.order()).as("the response arrived before the collector answered the export")
                // Not answered yet: later still.
                .isLessThan(slow.answeredOrder(span).orElse(Long.MAX_VALUE)));
      }
      assertThat(lambda.output()).doesNotContain("Baton: tracing failed").doesNotContain("could not register");
    }
  }

  @Test
  void snapStartPrimingLeavesNoBatonOrOpenTelemetryClassToTheFirstInvocationAfterTheRestore() throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.start();
        LocalLambdaRuntime lambda = function(Restorable.class, receiver)
            .snapStart(true)
            .jvmArgument("-Xlog:class+load=info:stdout")
            .start()) {
      LocalLambdaRuntime.Result first = lambda.invoke(LocalLambdaRuntime.invocation(checkout()));
      lambda.awaitExtensionsDone(first, Duration.ofSeconds(30));
      LocalLambdaRuntime.Result second = lambda.invoke(LocalLambdaRuntime.invocation(checkout()));
      lambda.awaitExtensionsDone(second, Duration.ofSeconds(30));

      assertThat(first.error()).as(lambda.output()).isFalse();
      assertThat(lambda.restoreRequestedOrder()).isPresent();
      assertThat(lambda.restoreError()).isEmpty();
      assertThat(lambda.extensions()).hasSize(1);
      assertThat(receiver.spans()).as("priming exported nothing: the two invocations' spans only")
          .hasSize(4)
          .allSatisfy(span -> assertThat(TraceId.isValid(span.getTraceId())).isTrue());
      assertThat(invocation(receiver, first).stream().filter(span -> span.getAttributes().get(FAAS_INVOCATION_ID) != null))
          .singleElement().satisfies(span -> assertThat(span).hasAttribute(booleanKey("faas.coldstart"), true));

      String output = lambda.output();
      int restored = output.indexOf(Restorable.RESTORED);
      assertThat(restored).as(output).isPositive();
      List<String> before = batonOrOpenTelemetryClasses(output.substring(0, restored));
      List<String> after = batonOrOpenTelemetryClasses(output.substring(restored));
      System.out.printf("[figures] SnapStart: %d Baton and OpenTelemetry classes loaded before the snapshot (init and"
          + " priming), %d after the restore (the first two invocations, their exports included): %s%n",
          before.size(), after.size(), after);
      assertThat(after).as("classes first loaded after the restore").isEmpty();
      assertThat(before).as("priming loaded the export path")
          .contains("dev.baton.runtime.internal.export.OtlpSpanEncoder", "dev.baton.runtime.internal.lambda.LambdaExtension");
    }
  }

  /** The names of Baton's and OpenTelemetry's classes in {@code -Xlog:class+load} lines. */
  private static List<String> batonOrOpenTelemetryClasses(String log) {
    List<String> names = new ArrayList<>();
    java.util.regex.Matcher loaded =
        java.util.regex.Pattern.compile("\\[class,load\\] ((?:dev\\.baton|io\\.opentelemetry)\\.\\S+)").matcher(log);
    while (loaded.find()) {
      names.add(loaded.group(1));
    }
    return names;
  }

  /** An HTTP API request with a trace context of its own. */
  private static String checkout() {
    String traceId = java.util.HexFormat.of().formatHex(randomBytes(16));
    String spanId = java.util.HexFormat.of().formatHex(randomBytes(8));
    return LambdaEvents.json(LambdaEvents.HTTP_API).replace(LambdaEvents.TRACEPARENT, "00-" + traceId + "-" + spanId + "-01");
  }

  private static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    java.util.concurrent.ThreadLocalRandom.current().nextBytes(bytes);
    return bytes;
  }

  /** Every span of {@code result}'s invocation: its invocation span's trace. */
  private static List<SpanData> invocation(OtlpReceiver receiver, LocalLambdaRuntime.Result result) {
    List<SpanData> found = receiver.spans().stream()
        .filter(span -> result.requestId().equals(span.getAttributes().get(FAAS_INVOCATION_ID))).toList();
    assertThat(found).as("invocation span of %s in %s", result.requestId(), receiver.spans()).hasSize(1);
    return receiver.trace(found.get(0).getTraceId());
  }
}
