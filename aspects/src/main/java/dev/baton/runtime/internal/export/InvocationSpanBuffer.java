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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>Keeps the sampled spans of each invocation until its end, then exports them on the
 * invocation's own thread: the span processor for Lambda, where a function is frozen between
 * invocations and a background exporter thread (the SDK's {@code BatchSpanProcessor}) would be
 * frozen with it.
 *
 * <p><b>Per invocation.</b> Lambda Managed Instances run many invocations at once in one JVM, so
 * nothing here is shared between invocations by accident: {@link #begin()} gives each invocation
 * its own {@link Kept}, which the invocation carries in its context; a span belongs to the
 * invocation whose context it was started in (its parent context), wherever it ends. An
 * invocation's {@link #flush} exports its own spans, never those of invocations still running,
 * and a failed export loses nobody else's. At most {@code maxQueueSize} spans wait per invocation
 * ({@code OTEL_BSP_MAX_QUEUE_SIZE}); more are dropped, counted and reported once.
 *
 * <p><b>Spans that end late.</b> The flush first waits, within half its time, for the spans the
 * invocation started that are still open (an asynchronous SDK call whose completion callback runs
 * on another thread, a {@code CompletionStage} the handler returned). A span that ends after its
 * invocation's flush, a span started outside any invocation (in a constructor, on a thread of the
 * function's own), and the spans of an export that could not be made are kept in one shared
 * overflow (also at most {@code maxQueueSize}) that the next flush of any invocation exports
 * first.
 *
 * <p><b>A collector that fails.</b> When an export fails in a way that says the collector is not
 * there or not answering (see {@link ExportBackoff}), the next exports are skipped for a while
 * (1 s, doubling with every failure up to 60 s) and their spans wait in the overflow; one
 * invocation then tries again. So a dead or stalled collector costs one invocation the flush
 * timeout, not every invocation.
 *
 * <p>Each flush exports in batches of at most {@code maxExportBatchSize} spans ({@code
 * OTEL_BSP_MAX_EXPORT_BATCH_SIZE}), one after the other, within the time given. {@link
 * #shutdown()} exports the overflow, then shuts the exporter down.
 */
public final class InvocationSpanBuffer implements SpanProcessor, TelemetryFlush {

  private final SpanExporter exporter;
  private final int maxQueueSize;
  private final int maxExportBatchSize;
  private final long exportTimeoutMillis;
  private final ExportBackoff backoff;

  /** The invocation each open span belongs to (identity: spans do not override equals). */
  private final ConcurrentHashMap<ReadableSpan, Kept> owners = new ConcurrentHashMap<>();

  /** Spans of no invocation, or that could not go out with their own. */
  private final Kept overflow;

  private final AtomicLong dropped = new AtomicLong();
  private volatile boolean shutdown;

  /**
   * A buffer in front of {@code exporter}.
   *
   * @param exportTimeoutMillis how long {@link #forceFlush()} and {@link #shutdown()} wait, as they
   *     are given no time
   */
  public InvocationSpanBuffer(
      SpanExporter exporter, int maxQueueSize, int maxExportBatchSize, long exportTimeoutMillis) {
    this(exporter, maxQueueSize, maxExportBatchSize, exportTimeoutMillis, new ExportBackoff());
  }

  InvocationSpanBuffer(
      SpanExporter exporter,
      int maxQueueSize,
      int maxExportBatchSize,
      long exportTimeoutMillis,
      ExportBackoff backoff) {
    if (maxQueueSize < 1 || maxExportBatchSize < 1) {
      throw new IllegalArgumentException(
          "sizes must be positive: " + maxQueueSize + ", " + maxExportBatchSize);
    }
    this.exporter = exporter;
    this.maxQueueSize = maxQueueSize;
    this.maxExportBatchSize = maxExportBatchSize;
    this.exportTimeoutMillis = exportTimeoutMillis;
    this.backoff = backoff;
    this.overflow = new Kept(this);
  }

  // ------------------------------------------------------------------------------ invocations

  /** An invocation starts: the spans started in its context are kept for it. */
  @Override
  public Invocation begin() {
    return new Kept(this);
  }

  /** Notes which invocation a sampled span belongs to: the one its parent context carries. */
  @Override
  public void onStart(Context parentContext, ReadWriteSpan span) {
    if (!span.getSpanContext().isSampled() || parentContext == null) {
      return;
    }
    if (parentContext.get(INVOCATION) instanceof Kept kept
        && kept.buffer == this
        && kept.opened()) {
      owners.put(span, kept);
    }
  }

  @Override
  public boolean isStartRequired() {
    return true;
  }

  /** Keeps a sampled span's data with its invocation, or in the overflow. */
  @Override
  public void onEnd(ReadableSpan span) {
    if (!span.getSpanContext().isSampled()) {
      return;
    }
    Kept kept = owners.remove(span);
    SpanData data = span.toSpanData();
    if (kept != null && kept.ended(data)) {
      return;
    }
    if (!shutdown) {
      overflow.add(data);
    }
  }

  @Override
  public boolean isEndRequired() {
    return true;
  }

  /**
   * Exports the spans {@code invocation} kept (null: none) and the overflow, in batches, within
   * {@code timeoutMillis}: waits first, within half that time, for the invocation's spans still
   * open.
   *
   * @throws TimeoutException when the time ran out (the spans not exported wait in the overflow)
   * @throws IllegalStateException when the exporter reported a failure (the spans wait in the
   *     overflow when the collector may come back, else they are dropped)
   */
  @Override
  public void flush(Invocation invocation, long timeoutMillis)
      throws TimeoutException, InterruptedException {
    long start = System.nanoTime();
    long deadline = start + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    List<SpanData> spans = overflow.takeAll();
    if (invocation instanceof Kept kept && kept.buffer == this) {
      long waitUntil = start + TimeUnit.MILLISECONDS.toNanos(timeoutMillis) / 2;
      List<SpanData> own = kept.close(waitUntil);
      if (spans.isEmpty()) {
        spans = own;
      } else {
        spans.addAll(own);
      }
    }
    if (spans.isEmpty()) {
      return;
    }
    if (!backoff.mayExport()) {
      overflow.addAll(spans, 0);
      Failures.reportInput(
          "exports while the collector is failing",
          "after a failed export Baton waits " + backoff.describe() + " before it tries again;"
              + " spans wait for the next export meanwhile");
      return;
    }
    export(spans, deadline, timeoutMillis);
  }

  private void export(List<SpanData> spans, long deadline, long timeoutMillis)
      throws TimeoutException {
    int total = spans.size();
    for (int from = 0; from < total; from += maxExportBatchSize) {
      int to = Math.min(total, from + maxExportBatchSize);
      List<SpanData> batch = from == 0 && to == total ? spans : spans.subList(from, to);
      long remaining = deadline - System.nanoTime();
      CompletableResultCode result = null;
      if (remaining > 0) {
        result = export(batch, deadline);
        if (!result.isDone()) {
          result.join(remaining, TimeUnit.NANOSECONDS);
        }
      }
      if (result == null || !result.isDone()) {
        backoff.failed();
        overflow.addAll(spans, from);
        throw new TimeoutException(
            "the exporter did not finish within "
                + timeoutMillis
                + " ms (BATON_FLUSH_TIMEOUT_MS); "
                + waiting(total - from));
      }
      if (!result.isSuccess()) {
        Throwable failure = result.getFailureThrowable();
        if (ExportBackoff.collectorUnavailable(failure)) {
          backoff.failed();
          overflow.addAll(spans, from);
          throw new IllegalStateException(
              "the exporter reported a failure; " + waiting(total - from), failure);
        }
        backoff.succeeded();
        throw new IllegalStateException(
            "the exporter reported a failure; " + notExported(total - from), failure);
      }
    }
    backoff.succeeded();
  }

  private static String waiting(int spans) {
    return spans
        + (spans == 1 ? " span waits" : " spans wait")
        + " for the next export (Baton backs off: "
        + "see 'Running on Lambda' in its README)";
  }

  private static String notExported(int spans) {
    return spans + (spans == 1 ? " span was" : " spans were") + " not exported";
  }

  private CompletableResultCode export(List<SpanData> batch, long deadline) {
    if (exporter instanceof OtlpHttpSpanExporter otlp) {
      return otlp.export(batch, deadline);
    }
    return exporter.export(batch);
  }

  // ------------------------------------------------------------------------------ SDK calls

  /** Exports the overflow (spans of no invocation, or left over), within the export timeout. */
  @Override
  public CompletableResultCode forceFlush() {
    try {
      flush(null, exportTimeoutMillis);
      return CompletableResultCode.ofSuccess();
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      return CompletableResultCode.ofExceptionalFailure(interrupted);
    } catch (TimeoutException | RuntimeException failure) {
      return CompletableResultCode.ofExceptionalFailure(failure);
    }
  }

  /** Exports the overflow, then shuts the exporter down; later spans are dropped. */
  @Override
  public CompletableResultCode shutdown() {
    synchronized (this) {
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

  /** How many spans were dropped over {@code maxQueueSize}, in all invocations and the overflow. */
  public long droppedSpans() {
    return dropped.get();
  }

  /** How many spans wait in the overflow for the next flush. */
  public int waitingSpans() {
    return overflow.size();
  }

  /** How many spans that started in an invocation are still open. */
  int openSpans() {
    return owners.size();
  }

  @Override
  public String toString() {
    return "InvocationSpanBuffer[" + exporter + "]";
  }

  /**
   * What one invocation keeps: its ended sampled spans, and how many of its spans are still
   * open. Its own monitor guards it; an invocation is touched by its own thread and by the
   * threads its asynchronous spans end on.
   */
  static final class Kept implements Invocation {

    final InvocationSpanBuffer buffer;
    private ArrayList<SpanData> spans = new ArrayList<>();
    private int open;
    private boolean closed;

    Kept(InvocationSpanBuffer buffer) {
      this.buffer = buffer;
    }

    /** A span started in this invocation; false once it was flushed. */
    synchronized boolean opened() {
      if (closed) {
        return false;
      }
      open++;
      return true;
    }

    /** A span of this invocation ended; false once it was flushed (the overflow takes it). */
    synchronized boolean ended(SpanData data) {
      if (closed) {
        return false;
      }
      open--;
      keep(data);
      if (open == 0) {
        notifyAll();
      }
      return true;
    }

    synchronized void add(SpanData data) {
      keep(data);
    }

    /** Adds {@code all} from index {@code from} on, as far as there is room. */
    synchronized void addAll(List<SpanData> all, int from) {
      for (int i = from; i < all.size(); i++) {
        keep(all.get(i));
      }
    }

    private void keep(SpanData data) {
      if (spans.size() < buffer.maxQueueSize) {
        spans.add(data);
        return;
      }
      buffer.dropped.incrementAndGet();
      Failures.reportInput(
          "spans over OTEL_BSP_MAX_QUEUE_SIZE",
          buffer.maxQueueSize
              + " spans were waiting to be exported at the end of an invocation; raise"
              + " OTEL_BSP_MAX_QUEUE_SIZE to keep more");
    }

    /** Takes what waits. */
    synchronized List<SpanData> takeAll() {
      if (spans.isEmpty()) {
        return new ArrayList<>();
      }
      ArrayList<SpanData> taken = spans;
      spans = new ArrayList<>();
      return taken;
    }

    /**
     * Waits until no span of this invocation is open, or until {@code waitUntilNanos}; then
     * closes it (later spans go to the overflow) and takes what it kept.
     */
    synchronized List<SpanData> close(long waitUntilNanos) throws InterruptedException {
      while (open > 0 && !closed) {
        long remaining = waitUntilNanos - System.nanoTime();
        if (remaining <= 0) {
          break;
        }
        TimeUnit.NANOSECONDS.timedWait(this, remaining);
      }
      closed = true;
      return takeAll();
    }

    synchronized int size() {
      return spans.size();
    }
  }
}
