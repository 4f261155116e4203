package dev.baton.runtime.internal.aws;

import dev.baton.runtime.internal.BatonTelemetry;
import dev.baton.runtime.internal.Failures;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>The trace context of a span as the configured propagator writes it ({@code
 * BatonTelemetry.openTelemetry().getPropagators()}): W3C {@code traceparent} and {@code
 * tracestate} by default, {@code baggage} when there is baggage. The X-Ray propagator's header,
 * when it is configured, is kept apart: SQS carries it in the {@code AWSTraceHeader} system
 * attribute, not in a message attribute.
 */
final class ContextFields {

  /** The header the X-Ray propagator writes; never a message attribute. */
  static final String XRAY_HEADER = "X-Amzn-Trace-Id";

  static final ContextFields NONE = new ContextFields(Collections.emptyMap(), null);

  private final Map<String, String> attributes;
  private final String xrayHeader;

  private ContextFields(Map<String, String> attributes, String xrayHeader) {
    this.attributes = attributes;
    this.xrayHeader = xrayHeader;
  }

  /** The fields carrying {@code span} (with the current context's baggage); NONE if invalid. */
  static ContextFields of(Span span) {
    try {
      if (!span.getSpanContext().isValid()) {
        return NONE;
      }
      Map<String, String> fields = new LinkedHashMap<>();
      propagator().inject(Context.current().with(span), fields, MapSetter.INSTANCE);
      String xray = fields.remove(XRAY_HEADER);
      return fields.isEmpty() && xray == null ? NONE : new ContextFields(fields, xray);
    } catch (Throwable failure) {
      Failures.report("injecting the trace context into a message", failure);
      return NONE;
    }
  }

  /**
   * The names a consumer needs to read the context back: the configured propagator's fields and
   * W3C trace context's (which Baton's consumer side always reads), without the X-Ray header.
   */
  static Set<String> attributeNames() {
    Set<String> names = new LinkedHashSet<>(W3CTraceContextPropagator.getInstance().fields());
    try {
      Collection<String> configured = propagator().fields();
      names.addAll(configured);
    } catch (Throwable failure) {
      Failures.report("reading the propagator's fields", failure);
    }
    names.remove(XRAY_HEADER);
    return names;
  }

  private static TextMapPropagator propagator() {
    return BatonTelemetry.openTelemetry().getPropagators().getTextMapPropagator();
  }

  /** Name to value, in the propagator's order; empty when nothing is to be injected. */
  Map<String, String> attributes() {
    return attributes;
  }

  /** The X-Ray trace header, or null when the X-Ray propagator is not configured. */
  String xrayHeader() {
    return xrayHeader;
  }

  boolean isEmpty() {
    return attributes.isEmpty() && xrayHeader == null;
  }

  private enum MapSetter implements TextMapSetter<Map<String, String>> {
    INSTANCE;

    @Override
    public void set(Map<String, String> carrier, String key, String value) {
      if (carrier != null && key != null && value != null) {
        carrier.put(key, value);
      }
    }
  }
}
