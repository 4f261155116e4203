package dev.baton.aspects;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.runtime.internal.BatonTelemetry;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.contrib.awsxray.propagator.AwsXrayPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.stream.Collectors;

/**
 * An OpenTelemetry SDK exporting to memory, handed to Baton for the woven SDK calls of a test
 * class. The tests of this package are woven by {@code baton:weave} (see {@code
 * aspects/call-sites/pom.xml}), as a function's classes are, and run without AspectJ's runtime.
 */
final class WovenSdkTracing {

  final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final OpenTelemetrySdk sdk;

  private WovenSdkTracing(TextMapPropagator propagator) {
    sdk =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
            .setPropagators(ContextPropagators.create(propagator))
            .build();
    BatonTelemetry.use(sdk);
  }

  /** W3C trace context and baggage, OpenTelemetry's default. */
  static WovenSdkTracing w3c() {
    return new WovenSdkTracing(
        TextMapPropagator.composite(
            W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance()));
  }

  /** W3C and X-Ray, as {@code OTEL_PROPAGATORS=tracecontext,baggage,xray} configures. */
  static WovenSdkTracing w3cAndXray() {
    return new WovenSdkTracing(
        TextMapPropagator.composite(
            W3CTraceContextPropagator.getInstance(),
            W3CBaggagePropagator.getInstance(),
            AwsXrayPropagator.getInstance()));
  }

  /** A span the test runs its calls in, as a handler's span would be. */
  Span startParent(String name) {
    return sdk.getTracer("test").spanBuilder(name).startSpan();
  }

  List<SpanData> spans() {
    return exporter.getFinishedSpanItems();
  }

  /** The one finished span named {@code name}. */
  SpanData span(String name) {
    List<SpanData> found =
        spans().stream().filter(span -> span.getName().equals(name)).collect(Collectors.toList());
    assertThat(found).as("spans named %s among %s", name, names()).hasSize(1);
    return found.get(0);
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
