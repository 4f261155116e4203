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
 *
 * <p>Only a sampled span's context is written. Left empty, the field is filled from the request's
 * own X-Ray header, which in Lambda the AWS SDK sets from the invocation's trace; a {@code
 * Sampled=0} header of Baton's would replace it and could cut off an X-Ray trace downstream.
 */
final class XrayTraceHeader {

  private XrayTraceHeader() {}

  /** {@code span}'s X-Ray header, or null for an invalid or unsampled span (write none then). */
  static String of(Span span) {
    if (!span.getSpanContext().isValid() || !span.getSpanContext().isSampled()) {
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
