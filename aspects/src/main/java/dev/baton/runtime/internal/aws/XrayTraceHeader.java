package dev.baton.runtime.internal.aws;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.opentelemetry.contrib.awsxray.propagator.AwsXrayPropagator;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>A span's context as an X-Ray trace header ({@code Root=1-...;Parent=...;Sampled=1}), the
 * format of the {@code TraceHeader} of EventBridge entries and the {@code traceHeader} of Step
 * Functions executions, written by OpenTelemetry's X-Ray propagator whatever propagators are
 * configured: those fields take no other format.
 */
final class XrayTraceHeader {

  private XrayTraceHeader() {}

  /** {@code span}'s X-Ray header, or null for an invalid span. */
  static String of(Span span) {
    if (!span.getSpanContext().isValid()) {
      return null;
    }
    String[] header = new String[1];
    AwsXrayPropagator.getInstance().inject(Context.root().with(span), header, Setter.INSTANCE);
    return header[0];
  }

  private enum Setter implements TextMapSetter<String[]> {
    INSTANCE;

    @Override
    public void set(String[] carrier, String key, String value) {
      if (carrier != null && ContextFields.XRAY_HEADER.equals(key)) {
        carrier[0] = value;
      }
    }
  }
}
