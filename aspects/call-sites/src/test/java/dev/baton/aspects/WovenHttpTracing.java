package dev.baton.aspects;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.runtime.internal.BatonTelemetry;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * An OpenTelemetry SDK exporting to memory, handed to Baton for the woven HTTP calls of a test
 * class. The tests of this package are woven by {@code baton:weave} (see {@code
 * aspects/call-sites/pom.xml}), as a function's classes are, and run without AspectJ's runtime.
 */
final class WovenHttpTracing {

  final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final OpenTelemetrySdk sdk;

  WovenHttpTracing(TextMapPropagator propagator) {
    sdk =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
            .setPropagators(ContextPropagators.create(propagator))
            .build();
    BatonTelemetry.use(sdk);
  }

  /** W3C trace context and baggage, OpenTelemetry's default. */
  static WovenHttpTracing w3c() {
    return new WovenHttpTracing(
        TextMapPropagator.composite(
            W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance()));
  }

  /** A span the test runs its calls in, as a handler's span would be. */
  Span startParent(String name) {
    return sdk.getTracer("test").spanBuilder(name).startSpan();
  }

  List<SpanData> spans() {
    return exporter.getFinishedSpanItems();
  }

  /** The one finished span named {@code name}, waiting a little for an asynchronous end. */
  SpanData span(String name) {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
    List<SpanData> found = named(name);
    while (found.isEmpty() && Instant.now().isBefore(deadline)) {
      Thread.onSpinWait();
      found = named(name);
    }
    assertThat(found).as("spans named %s among %s", name, names()).hasSize(1);
    return found.get(0);
  }

  private List<SpanData> named(String name) {
    return spans().stream().filter(span -> span.getName().equals(name)).collect(Collectors.toList());
  }

  List<String> names() {
    return spans().stream().map(SpanData::getName).collect(Collectors.toList());
  }

  void reset() {
    exporter.reset();
  }

  void close() {
    BatonTelemetry.use(null);
    sdk.close();
  }
}
