package dev.baton.runtime.internal.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.runtime.internal.Failures;
import dev.baton.runtime.internal.TelemetryFlush;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Each invocation's spans wait for its own end, bounded, and go out in batches within the time;
 * nobody else's go with them or are lost with them, and a failing collector is not asked again
 * by every invocation.
 */
class InvocationSpanBufferTest {

  private final RecordingExporter exporter = new RecordingExporter();
  private final AtomicLong clock = new AtomicLong();
  private SdkTracerProvider provider;

  @AfterEach
  void close() {
    if (provider != null) {
      provider.close();
    }
  }

  private InvocationSpanBuffer buffer(int maxQueueSize, int maxExportBatchSize) {
    return new InvocationSpanBuffer(
        exporter, maxQueueSize, maxExportBatchSize, 1_000, new ExportBackoff(clock::get));
  }

  private Tracer tracer(InvocationSpanBuffer buffer, Sampler sampler) {
    provider = SdkTracerProvider.builder().setSampler(sampler).addSpanProcessor(buffer).build();
    return provider.get("test");
  }

  /** The context an invocation's spans start in, as LambdaInvocation makes it. */
  private static Context invocation(TelemetryFlush.Invocation kept) {
    return Context.root().with(TelemetryFlush.INVOCATION, kept);
  }

  private static void endSpans(Tracer tracer, Context context, String prefix, int count) {
    for (int i = 0; i < count; i++) {
      tracer.spanBuilder(prefix + i).setParent(context).startSpan().end();
    }
  }

  private static void endSpans(Tracer tracer, int count) {
    endSpans(tracer, Context.root(), "span ", count);
  }

  private List<String> exportedNames() {
    List<String> names = new ArrayList<>();
    exporter.batches.forEach(batch -> batch.forEach(span -> names.add(span.getName())));
    return names;
  }

  @Test
  void anInvocationsFlushExportsItsOwnSpansAndNoOneElses() throws Exception {
    InvocationSpanBuffer buffer = buffer(10, 10);
    Tracer tracer = tracer(buffer, Sampler.alwaysOn());
    TelemetryFlush.Invocation first = buffer.begin();
    TelemetryFlush.Invocation second = buffer.begin();

    endSpans(tracer, invocation(first), "first ", 2);
    endSpans(tracer, invocation(second), "second ", 3);
    buffer.flush(first, 1_000);

    assertThat(exportedNames()).containsExactly("first 0", "first 1");
    buffer.flush(second, 1_000);
    assertThat(exportedNames()).containsExactly("first 0", "first 1", "second 0", "second 1", "second 2");
  }

  @Test
  void childrenOfAnInvocationsSpansAreItsToo() throws Exception {
    InvocationSpanBuffer buffer = buffer(10, 10);
    Tracer tracer = tracer(buffer, Sampler.alwaysOn());
    TelemetryFlush.Invocation kept = buffer.begin();
    TelemetryFlush.Invocation other = buffer.begin();

    Span root = tracer.spanBuilder("invocation").setParent(invocation(kept)).startSpan();
    try (Scope scope = invocation(kept).with(root).makeCurrent()) {
      tracer.spanBuilder("child").startSpan().end();
    }
    root.end();
    buffer.flush(other, 1_000);

    assertThat(exportedNames()).isEmpty();
    buffer.flush(kept, 1_000);
    assertThat(exportedNames()).containsExactly("child", "invocation");
  }

  @Test
  void concurrentInvocationsEachExportExactlyTheirOwn() throws Exception {
    InvocationSpanBuffer buffer = buffer(1_000, 100);
    Tracer tracer = tracer(buffer, Sampler.alwaysOn());
    int threads = 8;
    CyclicBarrier together = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        String name = "invocation-" + t + "-";
        done.add(pool.submit(() -> {
          for (int round = 0; round < 20; round++) {
            TelemetryFlush.Invocation kept = buffer.begin();
            together.await(10, TimeUnit.SECONDS);
            endSpans(tracer, invocation(kept), name + round + "-", 5);
            buffer.flush(kept, 5_000);
          }
          return null;
        }));
      }
      for (Future<?> future : done) {
        future.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    // Every export holds the five spans of one invocation round, never a mix.
    assertThat(exporter.batches).hasSize(threads * 20);
    for (List<SpanData> batch : exporter.batches) {
      assertThat(batch).hasSize(5);
      String invocation = batch.get(0).getName().substring(0, batch.get(0).getName().lastIndexOf('-'));
      assertThat(batch).allSatisfy(span -> assertThat(span.getName()).startsWith(invocation + "-"));
    }
  }

  @Test
  void theFlushWaitsForSpansOfTheInvocationThatEndOnAnotherThread() throws Exception {
    InvocationSpanBuffer buffer = buffer(10, 10);
    Tracer tracer = tracer(buffer, Sampler.alwaysOn());
    TelemetryFlush.Invocation kept = buffer.begin();
    Span asynchronous = tracer.spanBuilder("async call").setParent(invocation(kept)).startSpan();
    CountDownLatch flushing = new CountDownLatch(1);
    Thread completion = new Thread(() -> {
      try {
        flushing.await();
        Thread.sleep(20);
      } catch (InterruptedException interrupted) {
        return;
      }
      asynchronous.end();
    });
    completion.start();

    flushing.countDown();
    buffer.flush(kept, 10_000);
    completion.join();

    assertThat(exportedNames()).containsExactly("async call");
  }

  @Test
  void aSpanThatEndsAfterItsInvocationsFlushGoesOutWithTheNextFlush() throws Exception {
    InvocationSpanBuffer buffer = buffer(10, 10);
    Tracer tracer = tracer(buffer, Sampler.alwaysOn());
    TelemetryFlush.Invocation first = buffer.begin();
    Span late = tracer.spanBuilder("late").setParent(invocation(first)).startSpan();
    endSpans(tracer, invocation(first), "first ", 1);

    buffer.flush(first, 20);
    assertThat(exportedNames()).containsExactly("first 0");

    late.end();
    assertThat(buffer.waitingSpans()).isEqualTo(1);
    TelemetryFlush.Invocation next = buffer.begin();
    endSpans(tracer, invocation(next), "next ", 1);
    buffer.flush(next, 1_000);
    assertThat(exportedNames()).containsExactly("first 0", "late", "next 0");
    assertThat(buffer.openSpans()).isZero();
  }

  @Test
  void spansOfNoInvocationGoOutWithTheNextFlush() throws Exception {
    InvocationSpanBuffer buffer = buffer(10, 10);
    Tracer tracer = tracer(buffer, Sampler.alwaysOn());

    endSpans(tracer, 3);

    assertThat(exporter.batches).isEmpty();
    assertThat(buffer.waitingSpans()).isEqualTo(3);
    buffer.flush(null, 1_000);
    assertThat(exportedNames()).containsExactly("span 0", "span 1", "span 2");
    assertThat(buffer.waitingSpans()).isZero();
  }

  @Test
  void recordedButUnsampledSpansAreNotKept() throws Exception {
    InvocationSpanBuffer buffer = buffer(10, 10);
    Tracer tracer = tracer(buffer, new RecordOnlySampler());
    TelemetryFlush.Invocation kept = buffer.begin();

    endSpans(tracer, invocation(kept), "span ", 2);
    endSpans(tracer, 2);

    assertThat(buffer.waitingSpans()).isZero();
    assertThat(buffer.openSpans()).isZero();
    buffer.flush(kept, 1_000);
    assertThat(exporter.batches).isEmpty();
  }

  @Test
  void theQueueSizeLimitsEachInvocationOnItsOwn() throws Exception {
    InvocationSpanBuffer buffer = buffer(3, 3);
    Tracer tracer = tracer(buffer, Sampler.alwaysOn());
    long failuresBefore = Failures.count();
    TelemetryFlush.Invocation busy = buffer.begin();
    TelemetryFlush.Invocation quiet = buffer.begin();

    endSpans(tracer, invocation(busy), "busy ", 5);
    endSpans(tracer, invocation(quiet), "quiet ", 3);

    assertThat(buffer.droppedSpans()).isEqualTo(2);
    assertThat(Failures.count()).isEqualTo(failuresBefore + 2);
    buffer.flush(busy, 1_000);
    buffer.flush(quiet, 1_000);
    assertThat(exportedNames())
        .containsExactly("busy 0", "busy 1", "busy 2", "quiet 0", "quiet 1", "quiet 2");
  }

  @Test
  void aFlushSplitsIntoBatchesOfTheBatchSize() throws Exception {
    InvocationSpanBuffer buffer = buffer(100, 2);
    Tracer tracer = tracer(buffer, Sampler.alwaysOn());
    TelemetryFlush.Invocation kept = buffer.begin();

    endSpans(tracer, invocation(kept), "span ", 5);
    buffer.flush(kept, 1_000);

    assertThat(exporter.batches).extracting(List::size).containsExactly(2, 2, 1);
    assertThat(exporter.batches.get(2).get(0).getName()).isEqualTo("span 4");
  }

  @Test
  void aCollectorThatIsDownIsLeftAloneForAWhileAndNothingIsLost() throws Exception {
    InvocationSpanBuffer buffer = buffer(100, 100);
    Tracer tracer = tracer(buffer, Sampler.alwaysOn());
    exporter.result = CompletableResultCode.ofExceptionalFailure(new IOException("Connection refused"));
    TelemetryFlush.Invocation first = buffer.begin();
    endSpans(tracer, invocation(first), "first ", 2);

    assertThatThrownBy(() -> buffer.flush(first, 1_000))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("2 spans wait for the next export")
        .hasRootCauseMessage("Connection refused");
    assertThat(buffer.waitingSpans()).isEqualTo(2);

    // Within the back-off, invocations do not ask the collector: their spans wait.
    clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(ExportBackoff.INITIAL_MILLIS - 1));
    TelemetryFlush.Invocation second = buffer.begin();
    endSpans(tracer, invocation(second), "second ", 1);
    buffer.flush(second, 1_000);
    assertThat(exporter.batches).hasSize(1);
    assertThat(buffer.waitingSpans()).isEqualTo(3);

    // After it, one invocation tries again and takes everything that waited.
    clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
    exporter.result = CompletableResultCode.ofSuccess();
    TelemetryFlush.Invocation third = buffer.begin();
    endSpans(tracer, invocation(third), "third ", 1);
    buffer.flush(third, 1_000);
    assertThat(exporter.batches.get(1))
        .extracting(SpanData::getName)
        .containsExactly("first 0", "first 1", "second 0", "third 0");
    assertThat(buffer.waitingSpans()).isZero();
  }

  @Test
  void theBackOffDoublesWithEveryFailureInARowUpToAMinute() {
    assertThat(ExportBackoff.delayMillis(0)).isZero();
    assertThat(ExportBackoff.delayMillis(1)).isEqualTo(1_000);
    assertThat(ExportBackoff.delayMillis(2)).isEqualTo(2_000);
    assertThat(ExportBackoff.delayMillis(3)).isEqualTo(4_000);
    assertThat(ExportBackoff.delayMillis(7)).isEqualTo(60_000);
    assertThat(ExportBackoff.delayMillis(1_000)).isEqualTo(60_000);

    ExportBackoff backoff = new ExportBackoff(clock::get);
    backoff.failed();
    clock.addAndGet(TimeUnit.SECONDS.toNanos(1));
    assertThat(backoff.mayExport()).as("the probe").isTrue();
    assertThat(backoff.mayExport()).as("others wait while it runs").isFalse();
    backoff.failed();
    clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(1_999));
    assertThat(backoff.mayExport()).isFalse();
    clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
    assertThat(backoff.mayExport()).isTrue();
    backoff.succeeded();
    assertThat(backoff.mayExport()).isTrue();
    assertThat(backoff.mayExport()).isTrue();
  }

  @Test
  void whatSaysTheCollectorIsUnavailable() {
    assertThat(ExportBackoff.collectorUnavailable(new IOException("refused"))).isTrue();
    assertThat(ExportBackoff.collectorUnavailable(new TimeoutException())).isTrue();
    assertThat(ExportBackoff.collectorUnavailable(new OtlpHttpSpanExporter.StatusException(503, "x"))).isTrue();
    assertThat(ExportBackoff.collectorUnavailable(new OtlpHttpSpanExporter.StatusException(429, "x"))).isTrue();
    assertThat(ExportBackoff.collectorUnavailable(new OtlpHttpSpanExporter.StatusException(400, "x"))).isFalse();
    assertThat(ExportBackoff.collectorUnavailable(new OtlpHttpSpanExporter.StatusException(500, "x"))).isFalse();
    assertThat(ExportBackoff.collectorUnavailable(new IllegalStateException())).isFalse();
    assertThat(ExportBackoff.collectorUnavailable(null)).isFalse();
  }

  @Test
  void aBatchTheCollectorRefusesIsDroppedWithoutBackingOff() throws Exception {
    InvocationSpanBuffer buffer = buffer(100, 2);
    Tracer tracer = tracer(buffer, Sampler.alwaysOn());
    exporter.result =
        CompletableResultCode.ofExceptionalFailure(new OtlpHttpSpanExporter.StatusException(400, "HTTP 400"));
    TelemetryFlush.Invocation kept = buffer.begin();
    endSpans(tracer, invocation(kept), "span ", 5);

    assertThatThrownBy(() -> buffer.flush(kept, 1_000))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("5 spans were not exported")
        .hasRootCauseMessage("HTTP 400");
    assertThat(exporter.batches).hasSize(1);
    assertThat(buffer.waitingSpans()).isZero();

    exporter.result = CompletableResultCode.ofSuccess();
    TelemetryFlush.Invocation next = buffer.begin();
    endSpans(tracer, invocation(next), "next ", 1);
    buffer.flush(next, 1_000);
    assertThat(exporter.batches).hasSize(2);
  }

  @Test
  void anExportThatDoesNotFinishInTimeMakesTheFlushThrowAndItsSpansWait() {
    InvocationSpanBuffer buffer = buffer(100, 100);
    Tracer tracer = tracer(buffer, Sampler.alwaysOn());
    exporter.result = new CompletableResultCode();
    TelemetryFlush.Invocation kept = buffer.begin();

    endSpans(tracer, invocation(kept), "span ", 1);

    assertThatThrownBy(() -> buffer.flush(kept, 20))
        .isInstanceOf(TimeoutException.class)
        .hasMessageContaining("BATON_FLUSH_TIMEOUT_MS")
        .hasMessageContaining("1 span waits");
    assertThat(buffer.waitingSpans()).isEqualTo(1);
  }

  @Test
  void aFlushWithNothingWaitingExportsNothing() throws Exception {
    InvocationSpanBuffer buffer = buffer(10, 10);
    tracer(buffer, Sampler.alwaysOn());

    buffer.flush(buffer.begin(), 1_000);

    assertThat(buffer.forceFlush().isSuccess()).isTrue();
    assertThat(exporter.batches).isEmpty();
  }

  @Test
  void anotherBuffersInvocationIsNotThisOnes() throws Exception {
    InvocationSpanBuffer buffer = buffer(10, 10);
    InvocationSpanBuffer other = buffer(10, 10);
    Tracer tracer = tracer(buffer, Sampler.alwaysOn());
    TelemetryFlush.Invocation foreign = other.begin();

    endSpans(tracer, invocation(foreign), "span ", 1);

    assertThat(buffer.waitingSpans()).as("kept as a span of no invocation").isEqualTo(1);
  }

  @Test
  void forceFlushAndShutdownExport() {
    InvocationSpanBuffer buffer = buffer(10, 10);
    Tracer tracer = tracer(buffer, Sampler.alwaysOn());

    endSpans(tracer, 1);
    assertThat(provider.forceFlush().join(1, TimeUnit.SECONDS).isSuccess()).isTrue();
    endSpans(tracer, 1);
    assertThat(provider.shutdown().join(1, TimeUnit.SECONDS).isSuccess()).isTrue();

    assertThat(exporter.batches).hasSize(2);
    assertThat(exporter.shutdown).isTrue();
    endSpans(tracer, 1);
    assertThat(buffer.waitingSpans()).isZero();
  }

  private InvocationSpanBuffer keepingFailed(boolean keepSampled) {
    return new InvocationSpanBuffer(
        exporter, 10, 10, 1_000, new ExportBackoff(clock::get), keepSampled, true, keepSampled);
  }

  @Test
  void aFailedInvocationExportsItsRecordedSpansAndASuccessfulOneLetsThemGo() throws Exception {
    InvocationSpanBuffer buffer = keepingFailed(true);
    Tracer tracer = tracer(buffer, new RecordOnlySampler());
    TelemetryFlush.Invocation succeeded = buffer.begin();
    TelemetryFlush.Invocation failed = buffer.begin();

    endSpans(tracer, invocation(succeeded), "succeeded ", 2);
    endSpans(tracer, invocation(failed), "failed ", 2);
    endSpans(tracer, 1);
    failed.failed();
    buffer.flush(succeeded, 1_000);
    buffer.flush(failed, 1_000);

    assertThat(exportedNames()).containsExactly("failed 0", "failed 1");
    assertThat(exporter.batches.get(0)).allSatisfy(span -> assertThat(span.getSpanContext().isSampled()).isFalse());
    assertThat(buffer.openSpans()).isZero();
    assertThat(buffer.waitingSpans()).as("unsampled spans of no invocation are not kept").isZero();
  }

  @Test
  void aFailedInvocationsSampledAndRecordedSpansGoOutTogether() throws Exception {
    InvocationSpanBuffer buffer = keepingFailed(true);
    Tracer tracer = tracer(buffer, new SampleByName("sampled"));
    TelemetryFlush.Invocation kept = buffer.begin();

    endSpans(tracer, invocation(kept), "sampled ", 1);
    endSpans(tracer, invocation(kept), "recorded ", 1);
    kept.failed();
    buffer.flush(kept, 1_000);

    assertThat(exportedNames()).containsExactly("sampled 0", "recorded 0");
  }

  @Test
  void besideAnSdksProcessorsOnlyAFailedInvocationsUnsampledSpansAreExported() throws Exception {
    InvocationSpanBuffer buffer = keepingFailed(false);
    Tracer tracer = tracer(buffer, new SampleByName("sampled"));
    TelemetryFlush.Invocation kept = buffer.begin();

    endSpans(tracer, invocation(kept), "sampled ", 1);
    endSpans(tracer, invocation(kept), "recorded ", 1);
    endSpans(tracer, Context.root(), "sampled outside ", 1);
    kept.failed();
    buffer.flush(kept, 1_000);
    provider.shutdown().join(1, TimeUnit.SECONDS);

    assertThat(exportedNames()).containsExactly("recorded 0");
    assertThat(exporter.shutdown).as("the SDK's processor shuts its exporter down").isFalse();
  }

  @Test
  void aSuccessfulInvocationDoesNotWaitForUnsampledSpansStillOpen() throws Exception {
    InvocationSpanBuffer buffer = keepingFailed(true);
    Tracer tracer = tracer(buffer, new RecordOnlySampler());
    TelemetryFlush.Invocation kept = buffer.begin();
    Span open = tracer.spanBuilder("open").setParent(invocation(kept)).startSpan();

    long start = System.nanoTime();
    buffer.flush(kept, 2_000);

    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(900);
    open.end();
    assertThat(buffer.waitingSpans()).isZero();
    assertThat(exporter.batches).isEmpty();
  }

  @Test
  void aFailedInvocationsUnsampledSpanThatEndsLateGoesOutWithTheNextFlush() throws Exception {
    InvocationSpanBuffer buffer = keepingFailed(true);
    Tracer tracer = tracer(buffer, new RecordOnlySampler());
    TelemetryFlush.Invocation kept = buffer.begin();
    Span late = tracer.spanBuilder("late").setParent(invocation(kept)).startSpan();
    kept.failed();

    buffer.flush(kept, 20);
    late.end();

    assertThat(buffer.waitingSpans()).isEqualTo(1);
    buffer.flush(null, 1_000);
    assertThat(exportedNames()).containsExactly("late");
  }

  @Test
  void spansThatNeverEndAreNotKeptAfterTheirInvocation() throws Exception {
    InvocationSpanBuffer buffer = buffer(10, 10);
    Tracer tracer = tracer(buffer, Sampler.alwaysOn());
    for (int i = 0; i < 100; i++) {
      TelemetryFlush.Invocation kept = buffer.begin();
      tracer.spanBuilder("never ends").setParent(invocation(kept)).startSpan();
      buffer.flush(kept, 2);
    }

    assertThat(buffer.openSpans()).isZero();
  }

  @Test
  void anExporterThatThrowsEndsTheProbeAndTheCollectorIsTriedAgainLater() throws Exception {
    InvocationSpanBuffer buffer = buffer(100, 100);
    Tracer tracer = tracer(buffer, Sampler.alwaysOn());
    exporter.result = CompletableResultCode.ofExceptionalFailure(new IOException("Connection refused"));
    TelemetryFlush.Invocation first = buffer.begin();
    endSpans(tracer, invocation(first), "first ", 1);
    assertThatThrownBy(() -> buffer.flush(first, 1_000)).isInstanceOf(IllegalStateException.class);

    // The probe's exporter throws an Error (out of memory while encoding, no thread left).
    clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(ExportBackoff.INITIAL_MILLIS));
    exporter.thrown = new OutOfMemoryError("Java heap space");
    TelemetryFlush.Invocation probe = buffer.begin();
    endSpans(tracer, invocation(probe), "probe ", 1);
    assertThatThrownBy(() -> buffer.flush(probe, 1_000))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("2 spans wait")
        .hasCauseInstanceOf(OutOfMemoryError.class);

    // It counted as a failure: after the doubled wait the collector is tried again.
    exporter.thrown = null;
    exporter.result = CompletableResultCode.ofSuccess();
    clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(ExportBackoff.delayMillis(2)));
    TelemetryFlush.Invocation third = buffer.begin();
    endSpans(tracer, invocation(third), "third ", 1);
    buffer.flush(third, 1_000);
    assertThat(exporter.batches.get(exporter.batches.size() - 1))
        .extracting(SpanData::getName)
        .containsExactly("first 0", "probe 0", "third 0");
  }

  @Test
  void aTimeOutTooShortToJudgeTheCollectorDoesNotBackOff() throws Exception {
    InvocationSpanBuffer buffer = buffer(100, 100);
    Tracer tracer = tracer(buffer, Sampler.alwaysOn());
    exporter.result = new CompletableResultCode();
    TelemetryFlush.Invocation nearItsEnd = buffer.begin();
    endSpans(tracer, invocation(nearItsEnd), "short ", 1);
    assertThatThrownBy(() -> buffer.flush(nearItsEnd, InvocationSpanBuffer.FAIR_CHANCE_MILLIS / 5))
        .isInstanceOf(TimeoutException.class);

    exporter.result = CompletableResultCode.ofSuccess();
    TelemetryFlush.Invocation next = buffer.begin();
    endSpans(tracer, invocation(next), "next ", 1);
    buffer.flush(next, 1_000);
    assertThat(exporter.batches.get(exporter.batches.size() - 1))
        .as("exported at once, without waiting for a back-off")
        .extracting(SpanData::getName)
        .containsExactly("short 0", "next 0");
  }

  @Test
  void aTimeOutWithAFairChanceBacksOff() throws Exception {
    InvocationSpanBuffer buffer = buffer(100, 100);
    Tracer tracer = tracer(buffer, Sampler.alwaysOn());
    exporter.result = new CompletableResultCode();
    TelemetryFlush.Invocation first = buffer.begin();
    endSpans(tracer, invocation(first), "first ", 1);
    assertThatThrownBy(() -> buffer.flush(first, InvocationSpanBuffer.FAIR_CHANCE_MILLIS + 10))
        .isInstanceOf(TimeoutException.class);

    exporter.result = CompletableResultCode.ofSuccess();
    TelemetryFlush.Invocation next = buffer.begin();
    endSpans(tracer, invocation(next), "next ", 1);
    buffer.flush(next, 1_000);
    assertThat(exporter.batches).hasSize(1);
    assertThat(buffer.waitingSpans()).isEqualTo(2);
  }

  @Test
  void aRestoreLetsGoWhatWaitedAtTheSnapshotAndForgetsTheBackOff() throws Exception {
    InvocationSpanBuffer buffer = buffer(100, 100);
    Tracer tracer = tracer(buffer, Sampler.alwaysOn());
    exporter.result = CompletableResultCode.ofExceptionalFailure(new IOException("Connection refused"));
    TelemetryFlush.Invocation priming = buffer.begin();
    endSpans(tracer, invocation(priming), "priming ", 1);
    assertThatThrownBy(() -> buffer.flush(priming, 1_000)).isInstanceOf(IllegalStateException.class);
    assertThat(buffer.waitingSpans()).isEqualTo(1);

    buffer.restored();

    assertThat(buffer.waitingSpans()).isZero();
    exporter.result = CompletableResultCode.ofSuccess();
    TelemetryFlush.Invocation first = buffer.begin();
    endSpans(tracer, invocation(first), "first ", 1);
    buffer.flush(first, 1_000);
    assertThat(exporter.batches.get(exporter.batches.size() - 1))
        .extracting(SpanData::getName)
        .containsExactly("first 0");
  }

  /** Remembers each batch; answers with {@link #result}. */
  private static final class RecordingExporter implements SpanExporter {
    final List<List<SpanData>> batches = new java.util.concurrent.CopyOnWriteArrayList<>();
    volatile CompletableResultCode result = CompletableResultCode.ofSuccess();
    volatile Error thrown;
    boolean shutdown;

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      if (thrown != null) {
        throw thrown;
      }
      batches.add(new ArrayList<>(spans));
      return result;
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      shutdown = true;
      return CompletableResultCode.ofSuccess();
    }
  }

  /** Records every span without sampling it. */
  private static final class RecordOnlySampler implements Sampler {
    @Override
    public SamplingResult shouldSample(
        Context parentContext,
        String traceId,
        String name,
        SpanKind spanKind,
        Attributes attributes,
        List<LinkData> parentLinks) {
      return SamplingResult.recordOnly();
    }

    @Override
    public String getDescription() {
      return "RecordOnly";
    }
  }

  /** Samples the spans whose names start with a prefix, records the others. */
  private static final class SampleByName implements Sampler {
    private final String prefix;

    SampleByName(String prefix) {
      this.prefix = prefix;
    }

    @Override
    public SamplingResult shouldSample(
        Context parentContext,
        String traceId,
        String name,
        SpanKind spanKind,
        Attributes attributes,
        List<LinkData> parentLinks) {
      return name.startsWith(prefix) ? SamplingResult.recordAndSample() : SamplingResult.recordOnly();
    }

    @Override
    public String getDescription() {
      return "SampleByName";
    }
  }
}
