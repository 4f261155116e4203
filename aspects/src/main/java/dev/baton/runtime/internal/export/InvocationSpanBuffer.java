package dev.baton.runtime.internal.export;

import dev.baton.runtime.internal.Failures;
import dev.baton.runtime.internal.TelemetryFlush;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>Keeps the sampled spans of an invocation until its end, then exports them on the calling
 * thread: the span processor for Lambda, where a function is frozen between invocations and a
 * background exporter thread (the SDK's {@code BatchSpanProcessor}) would be frozen with it.
 *
 * <p>At most {@code maxQueueSize} spans wait ({@code OTEL_BSP_MAX_QUEUE_SIZE}); more are dropped,
 * counted and reported once. {@link #flush(long)} (what Baton calls at the end of each invocation)
 * exports what waits in batches of at most {@code maxExportBatchSize} spans ({@code
 * OTEL_BSP_MAX_EXPORT_BATCH_SIZE}), one after the other, within the time given; spans that were not
 * exported by then, or whose export failed, are dropped and the flush throws. {@link #shutdown()}
 * flushes, then shuts the exporter down.
 */
public final class InvocationSpanBuffer implements SpanProcessor, TelemetryFlush {

  private final SpanExporter exporter;
  private final int maxQueueSize;
  private final int maxExportBatchSize;
  private final long exportTimeoutMillis;

  private final Object lock = new Object();
  private ArrayList<SpanData> spans = new ArrayList<>();
  private long dropped;
  private boolean shutdown;

  /**
   * A buffer in front of {@code exporter}.
   *
   * @param exportTimeoutMillis how long {@link #forceFlush()} and {@link #shutdown()} wait, as they
   *     are given no time
   */
  public InvocationSpanBuffer(
      SpanExporter exporter, int maxQueueSize, int maxExportBatchSize, long exportTimeoutMillis) {
    if (maxQueueSize < 1 || maxExportBatchSize < 1) {
      throw new IllegalArgumentException(
          "sizes must be positive: " + maxQueueSize + ", " + maxExportBatchSize);
    }
    this.exporter = exporter;
    this.maxQueueSize = maxQueueSize;
    this.maxExportBatchSize = maxExportBatchSize;
    this.exportTimeoutMillis = exportTimeoutMillis;
  }

  @Override
  public void onStart(Context parentContext, ReadWriteSpan span) {}

  @Override
  public boolean isStartRequired() {
    return false;
  }

  /** Keeps a sampled span's data, unless {@code maxQueueSize} spans wait already. */
  @Override
  public void onEnd(ReadableSpan span) {
    if (!span.getSpanContext().isSampled()) {
      return;
    }
    SpanData data = span.toSpanData();
    synchronized (lock) {
      if (spans.size() < maxQueueSize && !shutdown) {
        spans.add(data);
        return;
      }
      dropped++;
    }
    Failures.reportInput(
        "spans over OTEL_BSP_MAX_QUEUE_SIZE",
        maxQueueSize
            + " spans were waiting to be exported at the end of the invocation; raise"
            + " OTEL_BSP_MAX_QUEUE_SIZE to keep more");
  }

  @Override
  public boolean isEndRequired() {
    return true;
  }

  /**
   * Exports every span waiting, in batches, within {@code timeoutMillis}.
   *
   * @throws TimeoutException when the time ran out (the spans not exported are dropped)
   * @throws IllegalStateException when the exporter reported a failure (the batch and the ones
   *     after it are dropped)
   */
  @Override
  public void flush(long timeoutMillis) throws TimeoutException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    List<SpanData> waiting = take();
    int total = waiting.size();
    for (int from = 0; from < total; from += maxExportBatchSize) {
      int to = Math.min(total, from + maxExportBatchSize);
      List<SpanData> batch = from == 0 && to == total ? waiting : waiting.subList(from, to);
      long remaining = deadline - System.nanoTime();
      CompletableResultCode result = remaining > 0 ? export(batch, deadline) : null;
      if (result != null && !result.isDone()) {
        result.join(remaining, TimeUnit.NANOSECONDS);
      }
      if (result == null || !result.isDone()) {
        throw new TimeoutException(
            "the exporter did not finish within "
                + timeoutMillis
                + " ms (BATON_FLUSH_TIMEOUT_MS); "
                + notExported(total - from));
      }
      if (!result.isSuccess()) {
        throw new IllegalStateException(
            "the exporter reported a failure; " + notExported(total - from),
            result.getFailureThrowable());
      }
    }
  }

  private static String notExported(int spans) {
    return spans + (spans == 1 ? " span was" : " spans were") + " not exported";
  }

  private CompletableResultCode export(List<SpanData> batch, long deadline) {
    if (exporter instanceof OtlpHttpSpanExporter) {
      return ((OtlpHttpSpanExporter) exporter).export(batch, deadline);
    }
    return exporter.export(batch);
  }

  private List<SpanData> take() {
    synchronized (lock) {
      if (spans.isEmpty()) {
        return List.of();
      }
      ArrayList<SpanData> taken = spans;
      spans = new ArrayList<>(Math.min(taken.size(), maxQueueSize));
      return taken;
    }
  }

  /** Exports every span waiting, within the export timeout. */
  @Override
  public CompletableResultCode forceFlush() {
    try {
      flush(exportTimeoutMillis);
      return CompletableResultCode.ofSuccess();
    } catch (TimeoutException | RuntimeException failure) {
      return CompletableResultCode.ofExceptionalFailure(failure);
    }
  }

  /** Exports every span waiting, then shuts the exporter down; later spans are dropped. */
  @Override
  public CompletableResultCode shutdown() {
    synchronized (lock) {
      if (shutdown) {
        return CompletableResultCode.ofSuccess();
      }
      shutdown = true;
    }
    CompletableResultCode flushed = forceFlush();
    CompletableResultCode exporterShutdown = exporter.shutdown();
    if (!flushed.isSuccess()) {
      return flushed;
    }
    return exporterShutdown;
  }

  /** How many spans were dropped because {@code maxQueueSize} spans were waiting. */
  public long droppedSpans() {
    synchronized (lock) {
      return dropped;
    }
  }

  /** How many spans wait to be exported. */
  public int waitingSpans() {
    synchronized (lock) {
      return spans.size();
    }
  }

  @Override
  public String toString() {
    return "InvocationSpanBuffer[" + exporter + "]";
  }
}
