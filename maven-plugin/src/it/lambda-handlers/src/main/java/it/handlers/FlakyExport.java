package it.handlers;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.baton.TracedHandler;
import dev.baton.runtime.Baton;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A function with an SDK of its own, handed to Baton, whose export can be made to throw: an event
 * {@code {"break":"true"}} makes the flush after that invocation throw (its span processor's
 * {@code forceFlush}), on Baton's extension thread after the response. Its spans wait in the batch
 * processor (whose own schedule is an hour) and go out with the next flush.
 */
public class FlakyExport implements RequestHandler<Map<String, String>, String> {

  private static final AtomicBoolean BREAK_NEXT_FLUSH = new AtomicBoolean();

  static {
    OtlpHttpSpanExporter exporter =
        OtlpHttpSpanExporter.builder()
            .setEndpoint(System.getProperty("otel.exporter.otlp.endpoint") + "/v1/traces")
            .build();
    SpanProcessor batch =
        BatchSpanProcessor.builder(exporter).setScheduleDelay(Duration.ofHours(1)).build();
    SdkTracerProvider tracerProvider =
        SdkTracerProvider.builder().addSpanProcessor(new Breakable(batch)).build();
    Baton.useOpenTelemetry(OpenTelemetrySdk.builder().setTracerProvider(tracerProvider).build());
  }

  @TracedHandler
  @Override
  public String handleRequest(Map<String, String> event, com.amazonaws.services.lambda.runtime.Context context) {
    if (event != null && "true".equals(event.get("break"))) {
      BREAK_NEXT_FLUSH.set(true);
    }
    return "done";
  }

  /** The batch processor, whose flush throws once when told to. */
  private static final class Breakable implements SpanProcessor {
    private final SpanProcessor delegate;

    Breakable(SpanProcessor delegate) {
      this.delegate = delegate;
    }

    @Override
    public void onStart(io.opentelemetry.context.Context parentContext, ReadWriteSpan span) {
      delegate.onStart(parentContext, span);
    }

    @Override
    public boolean isStartRequired() {
      return delegate.isStartRequired();
    }

    @Override
    public void onEnd(ReadableSpan span) {
      delegate.onEnd(span);
    }

    @Override
    public boolean isEndRequired() {
      return delegate.isEndRequired();
    }

    @Override
    public CompletableResultCode forceFlush() {
      if (BREAK_NEXT_FLUSH.getAndSet(false)) {
        throw new IllegalStateException("the exporter broke");
      }
      return delegate.forceFlush();
    }

    @Override
    public CompletableResultCode shutdown() {
      return delegate.shutdown();
    }
  }
}
