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
import dev.baton.runtime.internal.Restores;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
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
 * <p><b>Failed invocations.</b> With {@code keepFailed}, spans that the sampler recorded but did
 * not sample (see {@code dev.baton.runtime.internal.sdk.FailedInvocations}, which records every
 * span of an invocation that the head sampler drops) are kept too, as they were when they ended
 * (no {@link SpanData} is made for them): when the invocation says it {@linkplain
 * Invocation#failed() failed}, its flush exports them with the sampled ones; otherwise they are
 * let go. A buffer that {@linkplain #forFailedInvocations keeps only those} sits beside an SDK's
 * own span processors, which export the sampled spans.
 *
 * <p><b>Spans that never end.</b> A span still open when its invocation's flush has waited its
 * time is no longer the invocation's: should it ever end, it goes to the overflow when sampled,
 * or, unsampled, when its invocation was one of the last {@value #LATE_FAILED_TRACES} failed ones
 * (by trace id); nothing keeps the span itself meanwhile.
 *
 * <p><b>SnapStart.</b> Spans that wait in the overflow when Lambda takes the snapshot would be
 * exported by every restored copy; {@link #renewAfterRestore()} lets them go after a restore and
 * forgets the back-off (the collector of a restored copy is not the one init saw).
 *
 * <p>Each flush exports in batches of at most {@code maxExportBatchSize} spans ({@code
 * OTEL_BSP_MAX_EXPORT_BATCH_SIZE}), one after the other, within the time given. {@link
 * #shutdown()} exports the overflow, then shuts the exporter down (when the buffer owns it).
 */
public final class InvocationSpanBuffer implements SpanProcessor, TelemetryFlush {

  private final SpanExporter exporter;
  private final int maxQueueSize;
  private final int maxExportBatchSize;
  private final long exportTimeoutMillis;
  private final ExportBackoff backoff;

  /** Whether sampled spans are kept and exported (false beside an SDK's own processors). */
  private final boolean keepSampled;

  /** Whether recorded, unsampled spans of an invocation are kept, to go out if it fails. */
  private final boolean keepFailed;

  /** Whether {@link #shutdown()} shuts the exporter down (false when an SDK's processor does). */
  private final boolean ownsExporter;

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

  /**
   * The built-in setup's buffer: keeps and exports the sampled spans, and with {@code
   * keepFailed} also the recorded, unsampled spans of invocations that fail.
   */
  public static InvocationSpanBuffer forAllSpans(
      SpanExporter exporter,
      int maxQueueSize,
      int maxExportBatchSize,
      long exportTimeoutMillis,
      boolean keepFailed) {
    return new InvocationSpanBuffer(
        exporter,
        maxQueueSize,
        maxExportBatchSize,
        exportTimeoutMillis,
        new ExportBackoff(),
        true,
        keepFailed,
        true);
  }

  /**
   * A buffer beside an SDK's own span processors, which export the sampled spans: it keeps only
   * the recorded, unsampled spans of each invocation and exports them through {@code exporter}
   * (the SDK's, which it never shuts down) when the invocation fails.
   */
  public static InvocationSpanBuffer forFailedInvocations(
      SpanExporter exporter, int maxQueueSize, int maxExportBatchSize, long exportTimeoutMillis) {
    return new InvocationSpanBuffer(
        exporter,
        maxQueueSize,
        maxExportBatchSize,
        exportTimeoutMillis,
        new ExportBackoff(),
        false,
        true,
        false);
  }

  InvocationSpanBuffer(
      SpanExporter exporter,
      int maxQueueSize,
      int maxExportBatchSize,
      long exportTimeoutMillis,
      ExportBackoff backoff) {
    this(
        exporter, maxQueueSize, maxExportBatchSize, exportTimeoutMillis, backoff, true, false, true);
  }

  InvocationSpanBuffer(
      SpanExporter exporter,
      int maxQueueSize,
      int maxExportBatchSize,
      long exportTimeoutMillis,
      ExportBackoff backoff,
      boolean keepSampled,
      boolean keepFailed,
      boolean ownsExporter) {
    if (maxQueueSize < 1 || maxExportBatchSize < 1) {
      throw new IllegalArgumentException(
          "sizes must be positive: " + maxQueueSize + ", " + maxExportBatchSize);
    }
    this.exporter = exporter;
    this.maxQueueSize = maxQueueSize;
    this.maxExportBatchSize = maxExportBatchSize;
    this.exportTimeoutMillis = exportTimeoutMillis;
    this.backoff = backoff;
    this.keepSampled = keepSampled;
    this.keepFailed = keepFailed;
    this.ownsExporter = ownsExporter;
    this.overflow = new Kept(this);
  }

  /**
   * After each SnapStart restore, lets the spans that waited in the overflow at the snapshot go
   * (every restored copy would export them again) and forgets the back-off. Call once, when the
   * buffer is made; does nothing where no snapshot can be taken.
   */
  public void renewAfterRestore() {
    Restores.afterRestore(new Renew(this));
  }

  /** What a restore renews; a class, not a lambda, to keep the cold path short. */
  private static final class Renew implements Runnable {
    private final InvocationSpanBuffer buffer;

    Renew(InvocationSpanBuffer buffer) {
      this.buffer = buffer;
    }

    @Override
    public void run() {
      buffer.restored();
    }
  }

  /** After a restore: lets what waited at the snapshot go, and forgets the back-off. */
  void restored() {
    int let = overflow.takeAll().size();
    backoff.succeeded();
    if (let > 0) {
      Failures.reportInput(
          "spans waiting at a SnapStart snapshot",
          let
              + " spans that waited for an export when Lambda took the snapshot were let go"
              + " after the restore, as every restored copy would export them again");
    }
  }

  // ------------------------------------------------------------------------------ invocations

  /** An invocation starts: the spans started in its context are kept for it. */
  @Override
  public Invocation begin() {
    return new Kept(this);
  }

  /**
   * Notes which invocation a span it keeps belongs to: the one its parent context carries. Kept
   * are sampled spans (unless the buffer is only for failed invocations) and, with {@code
   * keepFailed}, the recorded, unsampled spans of an invocation.
   */
  @Override
  public void onStart(Context parentContext, ReadWriteSpan span) {
    if (parentContext == null) {
      return;
    }
    boolean sampled = span.getSpanContext().isSampled();
    if (sampled ? !keepSampled : !keepFailed) {
      return;
    }
    if (parentContext.get(INVOCATION) instanceof Kept kept && kept.buffer == this) {
      kept.opened(span, sampled);
    }
  }

  @Override
  public boolean isStartRequired() {
    return true;
  }

  /**
   * Keeps a span with its invocation; a sampled span of no invocation, or one that ends after its
   * invocation's flush, goes to the overflow (an unsampled one only when its invocation failed).
   */
  @Override
  public void onEnd(ReadableSpan span) {
    Kept kept = owners.remove(span);
    if (kept != null && kept.ended(span)) {
      return;
    }
    // Ended after its invocation's flush, or outside any invocation.
    if (shutdown) {
      return;
    }
    if (span.getSpanContext().isSampled()
        ? keepSampled
        : keepFailed && lateOfFailed(span.getSpanContext().getTraceId())) {
      overflow.add(span.toSpanData());
    }
  }

  /**
   * The traces of the last {@value #LATE_FAILED_TRACES} failed invocations that closed with
   * unsampled spans still open: should one of those end, it goes out after all. A ring, so that
   * spans that never end keep nothing.
   */
  private final String[] lateFailedTraces = new String[LATE_FAILED_TRACES];

  private int nextLateFailed;

  static final int LATE_FAILED_TRACES = 64;

  private synchronized void expectLateOfFailed(String traceId) {
    for (String known : lateFailedTraces) {
      if (traceId.equals(known)) {
        return;
      }
    }
    lateFailedTraces[nextLateFailed] = traceId;
    nextLateFailed = (nextLateFailed + 1) % LATE_FAILED_TRACES;
  }

  private synchronized boolean lateOfFailed(String traceId) {
    for (String known : lateFailedTraces) {
      if (traceId.equals(known)) {
        return true;
      }
    }
    return false;
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

  /** Whether this buffer exports the sampled spans itself: then {@link #prime} covers them. */
  @Override
  public boolean primesWithoutExport() {
    return keepSampled;
  }

  /**
   * Takes what {@code invocation} kept, without waiting for its open spans, and has the exporter
   * go through its export up to the socket without sending them; the spans are let go.
   */
  @Override
  public void prime(Invocation invocation) throws InterruptedException {
    if (invocation instanceof Kept kept && kept.buffer == this) {
      List<SpanData> spans = kept.close(System.nanoTime());
      backoff.mayExport();
      if (!spans.isEmpty() && exporter instanceof OtlpHttpSpanExporter otlp) {
        otlp.prime(spans);
      }
    }
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
        try {
          result = export(batch, deadline);
          if (!result.isDone()) {
            result.join(remaining, TimeUnit.NANOSECONDS);
          }
        } catch (Throwable thrown) {
          // An exporter that throws (an Error while encoding, no thread for its deadline) must
          // not leave the back-off probing forever: it counts as a failed export.
          backoff.failed();
          overflow.addAll(spans, from);
          throw new IllegalStateException(
              "the exporter threw; " + waiting(total - from), thrown);
        }
      }
      if (result == null || !result.isDone()) {
        settleTimeout(remaining);
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
          if (deadline - System.nanoTime() <= 0) {
            settleTimeout(remaining);
          } else {
            backoff.failed();
          }
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

  /**
   * An export ran out of time: that says the collector is failing only when it was given a fair
   * chance ({@value #FAIR_CHANCE_MILLIS} ms or more). A flush near the invocation's own timeout,
   * or a later batch with little time left, says nothing about the collector: the back-off stays
   * as it was, and a probe in flight is given back so that another invocation may probe.
   */
  private void settleTimeout(long remainingNanos) {
    if (remainingNanos >= TimeUnit.MILLISECONDS.toNanos(FAIR_CHANCE_MILLIS)) {
      backoff.failed();
    } else {
      backoff.inconclusive();
    }
  }

  /** The time an export must have had for its time-out to count against the collector. */
  static final long FAIR_CHANCE_MILLIS = 50;

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
    CompletableResultCode exporterShutdown =
        ownsExporter ? exporter.shutdown() : CompletableResultCode.ofSuccess();
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
   * What one invocation keeps: its ended sampled spans (made data when taken), its ended recorded, unsampled
   * spans (as they are, made data only when it fails), and its spans still open. Its own monitor
   * guards it, and the entries of its open spans in {@code owners}; an invocation is touched by
   * its own thread and by the threads its asynchronous spans end on.
   */
  static final class Kept implements Invocation {

    final InvocationSpanBuffer buffer;
    /**
     * Ended sampled spans: as they are ({@link ReadableSpan}, made data when taken, so that an
     * export after the response also takes that work off the invocation's thread) or as data.
     */
    private ArrayList<Object> spans = new ArrayList<>();
    private ArrayList<ReadableSpan> recorded;

    /** Open spans (identity: spans do not override equals) and whether each is sampled. */
    private IdentityHashMap<ReadableSpan, Boolean> open;

    private int openSampled;
    private boolean closed;
    private volatile boolean failed;

    Kept(InvocationSpanBuffer buffer) {
      this.buffer = buffer;
    }

    @Override
    public void failed() {
      failed = true;
    }

    /** A span started in this invocation; ignored once the invocation was flushed. */
    synchronized void opened(ReadableSpan span, boolean sampled) {
      if (closed) {
        return;
      }
      if (open == null) {
        open = new IdentityHashMap<>();
      }
      open.put(span, sampled);
      if (sampled) {
        openSampled++;
      }
      buffer.owners.put(span, this);
    }

    /** A span of this invocation ended; false once it was flushed (the overflow may take it). */
    synchronized boolean ended(ReadableSpan span) {
      if (closed) {
        return false;
      }
      Boolean sampled = open == null ? null : open.remove(span);
      if (sampled == null) {
        return false;
      }
      if (sampled) {
        openSampled--;
        keep(span);
      } else if (spans.size() + recordedSize() < buffer.maxQueueSize) {
        if (recorded == null) {
          recorded = new ArrayList<>();
        }
        recorded.add(span);
      } else {
        tooMany();
      }
      if (openSampled == 0 || open.isEmpty()) {
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

    private int recordedSize() {
      return recorded == null ? 0 : recorded.size();
    }

    private void keep(Object data) {
      if (spans.size() + recordedSize() < buffer.maxQueueSize) {
        spans.add(data);
        return;
      }
      tooMany();
    }

    private void tooMany() {
      buffer.dropped.incrementAndGet();
      Failures.reportInput(
          "spans over OTEL_BSP_MAX_QUEUE_SIZE",
          buffer.maxQueueSize
              + " spans were waiting to be exported at the end of an invocation; raise"
              + " OTEL_BSP_MAX_QUEUE_SIZE to keep more");
    }

    /** Takes what waits. */
    synchronized List<SpanData> takeAll() {
      ArrayList<SpanData> taken = new ArrayList<>(spans.size());
      for (Object kept : spans) {
        taken.add(kept instanceof ReadableSpan span ? span.toSpanData() : (SpanData) kept);
      }
      spans.clear();
      return taken;
    }

    /**
     * Waits until no span of this invocation that would be exported is open (sampled ones; all
     * when it failed), or until {@code waitUntilNanos}; then closes it (spans still open are no
     * longer its own) and takes what it kept: the sampled spans, and the unsampled ones when it
     * failed.
     */
    synchronized List<SpanData> close(long waitUntilNanos) throws InterruptedException {
      while (!closed && (failed ? open != null && !open.isEmpty() : openSampled > 0)) {
        long remaining = waitUntilNanos - System.nanoTime();
        if (remaining <= 0) {
          break;
        }
        TimeUnit.NANOSECONDS.timedWait(this, remaining);
      }
      closed = true;
      if (open != null) {
        for (Map.Entry<ReadableSpan, Boolean> still : open.entrySet()) {
          ReadableSpan span = still.getKey();
          buffer.owners.remove(span, this);
          if (failed && !still.getValue()) {
            buffer.expectLateOfFailed(span.getSpanContext().getTraceId());
          }
        }
        open = null;
        openSampled = 0;
      }
      List<SpanData> taken = takeAll();
      if (recorded != null) {
        if (failed) {
          for (ReadableSpan span : recorded) {
            taken.add(span.toSpanData());
          }
        }
        recorded = null;
      }
      return taken;
    }

    synchronized int size() {
      return spans.size();
    }
  }
}
