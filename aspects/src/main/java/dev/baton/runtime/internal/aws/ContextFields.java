package dev.baton.runtime.internal.aws;

import dev.baton.runtime.internal.BatonTelemetry;
import dev.baton.runtime.internal.Failures;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.baggage.BaggageBuilder;
import io.opentelemetry.api.baggage.BaggageEntry;
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
      propagator().inject(encodable(Context.current()).with(span), fields, MapSetter.INSTANCE);
      String xray = fields.remove(XRAY_HEADER);
      return fields.isEmpty() && xray == null ? NONE : new ContextFields(fields, xray);
    } catch (Throwable failure) {
      Failures.report("injecting the trace context into a message", failure);
      return NONE;
    }
  }

  /**
   * {@code context} with only the baggage entries that can be written: a lone UTF-16 surrogate in
   * a key or value has no UTF-8 form, and OpenTelemetry's W3C baggage propagator throws on it,
   * losing the trace context with the baggage. Such entries are left out (reported once); the
   * rest of the baggage, and the trace context, go on.
   */
  static Context encodable(Context context) {
    Baggage baggage = Baggage.fromContext(context);
    if (baggage.isEmpty()) {
      return context;
    }
    BaggageBuilder kept = null;
    for (Map.Entry<String, BaggageEntry> entry : baggage.asMap().entrySet()) {
      BaggageEntry value = entry.getValue();
      if (hasLoneSurrogate(entry.getKey())
          || hasLoneSurrogate(value.getValue())
          || hasLoneSurrogate(value.getMetadata().getValue())) {
        if (kept == null) {
          kept = baggage.toBuilder();
        }
        kept.remove(entry.getKey());
        Failures.reportInput(
            "a baggage entry with a lone UTF-16 surrogate, which W3C baggage cannot carry (left"
                + " out of what is injected)",
            "key of " + entry.getKey().length() + " chars");
      }
    }
    return kept == null ? context : context.with(kept.build());
  }

  private static boolean hasLoneSurrogate(String value) {
    if (value == null) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return true;
      }
    }
    return false;
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
