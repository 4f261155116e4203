package dev.baton.runtime.internal.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.runtime.internal.Failures;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Spans wait for the end of the invocation, bounded, and go out in batches within the time. */
class InvocationSpanBufferTest {

  private final RecordingExporter exporter = new RecordingExporter();
  private SdkTracerProvider provider;

  @AfterEach
  void close() {
    if (provider != null) {
      provider.close();
    }
  }

  private Tracer tracer(InvocationSpanBuffer buffer, Sampler sampler) {
    provider = SdkTracerProvider.builder().setSampler(sampler).addSpanProcessor(buffer).build();
    return provider.get("test");
  }

  private static void endSpans(Tracer tracer, int count) {
    for (int i = 0; i < count; i++) {
      tracer.spanBuilder("span " + i).startSpan().end();
    }
  }

  @Test
  void sampledSpansWaitForTheFlushAndGoOutInOrder() throws Exception {
    InvocationSpanBuffer buffer = new InvocationSpanBuffer(exporter, 10, 10, 1_000);
    Tracer tracer = tracer(buffer, Sampler.alwaysOn());

    endSpans(tracer, 3);

    assertThat(exporter.batches).isEmpty();
    assertThat(buffer.waitingSpans()).isEqualTo(3);
    buffer.flush(1_000);
    assertThat(exporter.batches).hasSize(1);
    assertThat(exporter.batches.get(0))
        .extracting(SpanData::getName)
        .containsExactly("span 0", "span 1", "span 2");
    assertThat(buffer.waitingSpans()).isZero();
  }

  @Test
  void recordedButUnsampledSpansAreNotKept() throws Exception {
    InvocationSpanBuffer buffer = new InvocationSpanBuffer(exporter, 10, 10, 1_000);
    Tracer tracer = tracer(buffer, new RecordOnlySampler());

    endSpans(tracer, 2);

    assertThat(buffer.waitingSpans()).isZero();
    buffer.flush(1_000);
    assertThat(exporter.batches).isEmpty();
  }

  @Test
  void spansOverTheQueueSizeAreDroppedCountedAndReported() throws Exception {
    InvocationSpanBuffer buffer = new InvocationSpanBuffer(exporter, 3, 3, 1_000);
    Tracer tracer = tracer(buffer, Sampler.alwaysOn());
    long failuresBefore = Failures.count();

    endSpans(tracer, 5);

    assertThat(buffer.waitingSpans()).isEqualTo(3);
    assertThat(buffer.droppedSpans()).isEqualTo(2);
    assertThat(Failures.count()).isEqualTo(failuresBefore + 2);
    buffer.flush(1_000);
    assertThat(exporter.batches.get(0))
        .extracting(SpanData::getName)
        .containsExactly("span 0", "span 1", "span 2");
    endSpans(tracer, 1);
    assertThat(buffer.waitingSpans()).isEqualTo(1);
  }

  @Test
  void aFlushSplitsIntoBatchesOfTheBatchSize() throws Exception {
    InvocationSpanBuffer buffer = new InvocationSpanBuffer(exporter, 100, 2, 1_000);
    Tracer tracer = tracer(buffer, Sampler.alwaysOn());

    endSpans(tracer, 5);
    buffer.flush(1_000);

    assertThat(exporter.batches).extracting(List::size).containsExactly(2, 2, 1);
    assertThat(exporter.batches.get(2).get(0).getName()).isEqualTo("span 4");
  }

  @Test
  void aFailedBatchMakesTheFlushThrowAndDropsTheRest() {
    InvocationSpanBuffer buffer = new InvocationSpanBuffer(exporter, 100, 2, 1_000);
    Tracer tracer = tracer(buffer, Sampler.alwaysOn());
    exporter.result =
        CompletableResultCode.ofExceptionalFailure(new IllegalStateException("HTTP 503"));

    endSpans(tracer, 5);

    assertThatThrownBy(() -> buffer.flush(1_000))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("5 spans were not exported")
        .hasRootCauseMessage("HTTP 503");
    assertThat(exporter.batches).hasSize(1);
    assertThat(buffer.waitingSpans()).isZero();
    assertThat(buffer.forceFlush().isSuccess()).isTrue();
  }

  @Test
  void anExportThatDoesNotFinishInTimeMakesTheFlushThrow() {
    InvocationSpanBuffer buffer = new InvocationSpanBuffer(exporter, 100, 100, 1_000);
    Tracer tracer = tracer(buffer, Sampler.alwaysOn());
    exporter.result = new CompletableResultCode();

    endSpans(tracer, 1);

    assertThatThrownBy(() -> buffer.flush(20))
        .isInstanceOf(TimeoutException.class)
        .hasMessageContaining("BATON_FLUSH_TIMEOUT_MS");
  }

  @Test
  void aFlushWithNothingWaitingExportsNothing() throws Exception {
    InvocationSpanBuffer buffer = new InvocationSpanBuffer(exporter, 10, 10, 1_000);
    tracer(buffer, Sampler.alwaysOn());

    buffer.flush(1_000);

    assertThat(buffer.forceFlush().isSuccess()).isTrue();
    assertThat(exporter.batches).isEmpty();
  }

  @Test
  void forceFlushAndShutdownExport() {
    InvocationSpanBuffer buffer = new InvocationSpanBuffer(exporter, 10, 10, 1_000);
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

  /** Remembers each batch; answers with {@link #result}. */
  private static final class RecordingExporter implements SpanExporter {
    final List<List<SpanData>> batches = new ArrayList<>();
    CompletableResultCode result = CompletableResultCode.ofSuccess();
    boolean shutdown;

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
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
}
