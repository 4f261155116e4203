package dev.baton.benchmarks.jmh;

import dev.baton.runtime.Baton;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One call of a traced method: untraced, hand-instrumented, and woven by Baton. Both traced
 * versions record into the same SDK: always sampled, every ended span handed synchronously to an exporter that discards it
 * (a batch processor would make the figure depend on how many spans its full queue drops).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TracedMethodBenchmark {

  private OpenTelemetrySdk sdk;
  private UntracedPricing untraced;
  private HandwrittenPricing handwritten;
  private Pricing baton;
  private String sku = "book-42";
  private int quantity = 3;

  @Setup
  public void setUp() {
    sdk =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(new DiscardingExporter()))
                    .build())
            .build();
    Baton.useOpenTelemetry(sdk);
    untraced = new UntracedPricing();
    handwritten = new HandwrittenPricing(sdk.getTracer("dev.baton"));
    baton = new Pricing();
  }

  @TearDown
  public void tearDown() {
    sdk.close();
  }

  @Benchmark
  public long untraced() {
    return untraced.price(sku, quantity);
  }

  @Benchmark
  public long handwritten() {
    return handwritten.price(sku, quantity);
  }

  @Benchmark
  public long baton() {
    return baton.price(sku, quantity);
  }

  /** Accepts every batch and drops it. */
  static final class DiscardingExporter implements SpanExporter {
    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
