package dev.baton.benchmarks.jmh;

import dev.baton.runtime.internal.BatonTelemetry;
import dev.baton.runtime.internal.TelemetryFlush;
import dev.baton.runtime.internal.export.InvocationSpanBuffer;
import dev.baton.runtime.internal.sdk.BuiltInTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One call of the woven {@code @Traced} method inside an invocation whose spans the head sampler
 * drops ({@code traceidratio} 0), on Baton's built-in setup: {@code record_only} (the default:
 * failed invocations are always exported, so the dropped spans are recorded and kept with the
 * invocation until its end), {@code plain} ({@code baton.always.sample.errors=false}: the
 * sampler's drop is final), and {@code sampled} ({@code traceidratio} 1) for reference: what the
 * call costs up to its export.
 *
 * <p>Set up as a function is: the settings as system properties, then the call the code
 * generated for a {@code @TracedHandler} makes first ({@code BuiltInTelemetry.startOnce()}); the
 * harness passes the OTLP receiver's address in the environment ({@code
 * OTEL_EXPORTER_OTLP_ENDPOINT}). Each JMH operation is one invocation as {@code LambdaInvocation}
 * makes it, with {@value #CALLS} calls: the buffer's {@code begin()} carried in the context under
 * {@code TelemetryFlush.INVOCATION}, an invocation span started in that context and current while
 * the calls run (their parent), then ended, then the invocation's flush: a successful invocation
 * lets its recorded spans go ({@code record_only}) or has nothing to let go ({@code plain}). For
 * {@code sampled} the flush would export the spans, made {@code SpanData} and kept, to the harness's
 * receiver: an HTTP round trip to a receiver on the same two cores that would make the figure
 * the receiver's, so that invocation is left unflushed and its spans go with it (the export's cost
 * is in the per-invocation figures). The score is per call, the invocation's own span, begin and
 * end shared out over its calls.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DroppedCallBenchmark {

  /** Calls per invocation: enough that the invocation's own begin and end weigh little per call. */
  static final int CALLS = 100;

  /** What the invocation's end may wait for its export, as {@code BATON_FLUSH_TIMEOUT_MS}' default. */
  private static final long FLUSH_TIMEOUT_MILLIS = 2_000;

  @Param({"record_only", "plain", "sampled"})
  public String sampling;

  private TelemetryFlush flush;

  /** Whether the invocation's flush would export (sampled): then it is not flushed, see above. */
  private boolean exportsAtEnd;

  private Pricing pricing;
  private String sku = "book-42";
  private int quantity = 3;

  @Setup
  public void setUp() {
    System.setProperty("otel.traces.sampler", "traceidratio");
    System.setProperty("otel.traces.sampler.arg", sampling.equals("sampled") ? "1" : "0");
    if (sampling.equals("plain")) {
      System.setProperty("baton.always.sample.errors", "false");
    }
    BuiltInTelemetry.startOnce();
    flush = BatonTelemetry.currentFlush();
    if (!(flush instanceof InvocationSpanBuffer)) {
      throw new IllegalStateException("Baton's built-in setup did not start (" + flush + "): run through the harness,"
          + " which passes OTEL_EXPORTER_OTLP_ENDPOINT");
    }
    checkSampling();
    exportsAtEnd = sampling.equals("sampled");
    pricing = new Pricing();
  }

  /** A span started in an invocation is recorded and sampled as {@link #sampling} says. */
  private void checkSampling() {
    TelemetryFlush.Invocation invocation = flush.begin();
    Span probe =
        BatonTelemetry.tracer().spanBuilder("probe")
            .setParent(Context.root().with(TelemetryFlush.INVOCATION, invocation))
            .startSpan();
    boolean recording = probe.isRecording();
    boolean sampled = probe.getSpanContext().isSampled();
    probe.end();
    BatonTelemetry.flush(flush, invocation, FLUSH_TIMEOUT_MILLIS);
    boolean expected =
        switch (sampling) {
          case "record_only" -> recording && !sampled;
          case "plain" -> !recording && !sampled;
          default -> recording && sampled;
        };
    if (!expected) {
      throw new IllegalStateException(sampling + ": a span in an invocation is " + (recording ? "" : "not ")
          + "recording and " + (sampled ? "" : "not ") + "sampled");
    }
  }

  @Benchmark
  @OperationsPerInvocation(CALLS)
  public void call(Blackhole blackhole) {
    TelemetryFlush.Invocation invocation = flush.begin();
    Context context = Context.root().with(TelemetryFlush.INVOCATION, invocation);
    Span span = BatonTelemetry.tracer().spanBuilder("place-order").setParent(context).startSpan();
    try (io.opentelemetry.context.Scope scope = context.with(span).makeCurrent()) {
      for (int i = 0; i < CALLS; i++) {
        blackhole.consume(pricing.price(sku, quantity));
      }
    }
    span.end();
    if (!exportsAtEnd) {
      BatonTelemetry.flush(flush, invocation, FLUSH_TIMEOUT_MILLIS);
    }
  }
}
