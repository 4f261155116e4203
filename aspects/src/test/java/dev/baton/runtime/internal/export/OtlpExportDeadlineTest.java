package dev.baton.runtime.internal.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testing.OtlpReceiver;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Baton's OTLP exporter against the collectors of {@link OtlpReceiver} that misbehave: however
 * the collector answers, an export ends by its own budget. The slack allowed over the budget is
 * for a loaded machine; what is tested is that nothing waits for the collector past the deadline
 * (it would wait seconds to minutes for these).
 */
class OtlpExportDeadlineTest {

  private static final Duration SLACK = Duration.ofMillis(150);
  private static final Duration FOREVER = Duration.ofHours(1);

  private final ExecutorService pool = Executors.newCachedThreadPool();

  /** Loads the exporter's classes, so that the budgets below are the collector's alone. */
  @BeforeAll
  static void warmUp() throws Exception {
    try (OtlpReceiver healthy = OtlpReceiver.start()) {
      assertThat(exporter(healthy, 10_000).export(List.of(span("warm-up"))).isSuccess()).isTrue();
    }
  }

  @AfterEach
  void stopPool() {
    pool.shutdownNow();
  }

  private static OtlpHttpSpanExporter exporter(OtlpReceiver receiver, long budgetMillis)
      throws Exception {
    return new OtlpHttpSpanExporter(
        URI.create(receiver.endpoint() + "/v1/traces").toURL(), Map.of(), budgetMillis, false);
  }

  private record Timed(CompletableResultCode result, Duration took) {}

  private static Timed export(OtlpHttpSpanExporter exporter, String name) {
    long start = System.nanoTime();
    CompletableResultCode result = exporter.export(List.of(span(name)));
    return new Timed(result, Duration.ofNanos(System.nanoTime() - start));
  }

  @Test
  void aBodyThatStallsAfterA200IsCutOffAtTheBudget() throws Exception {
    // The 200 arrives at 200 ms, then one byte of the body, then nothing; the budget ends while
    // the exporter waits for the rest of the body.
    try (OtlpReceiver stalling = OtlpReceiver.drippingBody(Duration.ofMillis(200), FOREVER)) {
      Timed export = export(exporter(stalling, 300), "stalled body");

      assertThat(export.took()).isLessThanOrEqualTo(Duration.ofMillis(300).plus(SLACK));
      assertThat(export.result().isSuccess())
          .as("the collector took the spans (200): %s", export.result().getFailureThrowable())
          .isTrue();
      assertThat(stalling.spans()).extracting(SpanData::getName).containsExactly("stalled body");
    }
  }

  @Test
  void aBodyThatStallsIsWaitedForBrieflyNotForTheWholeBudget() throws Exception {
    // The body serves only to keep the connection: a collector that stalls it every time would
    // otherwise hold every export to its deadline, with no back-off (each one a success).
    try (OtlpReceiver stalling = OtlpReceiver.drippingBody(Duration.ofMillis(200), FOREVER)) {
      Timed export = export(exporter(stalling, 3_000), "stalled body");

      assertThat(export.took())
          .isLessThanOrEqualTo(Duration.ofMillis(200 + OtlpHttpSpanExporter.REST_OF_ANSWER_MILLIS).plus(SLACK));
      assertThat(export.result().isSuccess()).isTrue();
    }
  }

  @Test
  void aDrippingBodyIsCutOffAtTheBudget() throws Exception {
    // A byte every 50 ms: a read timeout, which restarts with every byte, would never end it.
    try (OtlpReceiver dripping = OtlpReceiver.drippingBody(Duration.ZERO, Duration.ofMillis(50))) {
      Timed export = export(exporter(dripping, 300), "dripped body");

      assertThat(export.took()).isLessThanOrEqualTo(Duration.ofMillis(300).plus(SLACK));
      assertThat(export.result().isSuccess()).isTrue();
    }
  }

  @Test
  void twoExportsAtOnceAreEachCutOffByTheirOwnDeadline() throws Exception {
    // The first export's cut-off comes while it reads a body; the second's must not wait for it.
    try (OtlpReceiver stalling = OtlpReceiver.drippingBody(Duration.ofMillis(200), FOREVER);
        OtlpReceiver dripping = OtlpReceiver.dripping(Duration.ofMillis(50))) {
      OtlpHttpSpanExporter first = exporter(stalling, 300);
      OtlpHttpSpanExporter second = exporter(dripping, 300);

      Future<Timed> stuck = pool.submit(() -> export(first, "first"));
      Thread.sleep(100);
      Future<Timed> next = pool.submit(() -> export(second, "second"));
      Timed firstExport = stuck.get(10, TimeUnit.SECONDS);
      Timed secondExport = next.get(10, TimeUnit.SECONDS);

      assertThat(firstExport.took()).isLessThanOrEqualTo(Duration.ofMillis(300).plus(SLACK));
      assertThat(secondExport.took()).isLessThanOrEqualTo(Duration.ofMillis(300).plus(SLACK));
      assertThat(firstExport.result().isSuccess()).isTrue();
      assertThat(secondExport.result().isSuccess()).as("no status came").isFalse();
      assertThat(secondExport.result().getFailureThrowable()).hasMessageContaining("was cut off");
    }
  }

  @Test
  void aStatusLineDrippedPastTheBudgetIsAFailureAtTheBudget() throws Exception {
    try (OtlpReceiver dripping = OtlpReceiver.dripping(Duration.ofMillis(50))) {
      Timed export = export(exporter(dripping, 300), "dripped status");

      assertThat(export.took()).isLessThanOrEqualTo(Duration.ofMillis(300).plus(SLACK));
      assertThat(export.result().isSuccess()).isFalse();
      assertThat(export.result().getFailureThrowable())
          .hasMessageContaining("did not answer within 300 ms")
          .hasMessageContaining("was cut off");
      assertThat(dripping.spans()).extracting(SpanData::getName).containsExactly("dripped status");
    }
  }

  @Test
  void aStalledCollectorIsAFailureAtTheBudget() throws Exception {
    try (OtlpReceiver stalled = OtlpReceiver.stalled()) {
      Timed export = export(exporter(stalled, 300), "stalled");

      assertThat(export.took()).isLessThanOrEqualTo(Duration.ofMillis(300).plus(SLACK));
      assertThat(export.result().isSuccess()).isFalse();
      assertThat(export.result().getFailureThrowable()).hasMessageContaining("was cut off");
    }
  }

  private static SpanData span(String name) {
    return TestSpanData.builder()
        .setSpanContext(SpanContext.create(
            "0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", TraceFlags.getSampled(), TraceState.getDefault()))
        .setResource(Resource.getDefault())
        .setInstrumentationScopeInfo(InstrumentationScopeInfo.create("dev.baton"))
        .setName(name)
        .setKind(SpanKind.INTERNAL)
        .setStartEpochNanos(1_000)
        .setEndEpochNanos(2_000)
        .setStatus(StatusData.unset())
        .setHasEnded(true)
        .build();
  }
}
