package dev.baton.runtime.internal.logs;

import io.opentelemetry.api.trace.SpanContext;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>The keys Baton puts into a logging library's thread context (SLF4J's MDC, Log4j's {@code
 * ThreadContext}) while a traced method or invocation runs, and their values for a span.
 */
final class TraceIds {

  /** The trace id, 32 lowercase hex characters. */
  static final String TRACE_ID = "trace_id";

  /** The span id, 16 lowercase hex characters. */
  static final String SPAN_ID = "span_id";

  /**
   * Whether the span is sampled, as the W3C trace flags' sampled bit: {@code 01} or {@code 00}
   * (the other flag bits, such as the random trace id bit, are left out).
   */
  static final String TRACE_FLAGS = "trace_flags";

  /** The trace id as X-Ray writes it: {@code 1-xxxxxxxx-xxxxxxxxxxxxxxxxxxxxxxxx}. */
  static final String XRAY_TRACE_ID = "xray_trace_id";

  /** The keys, in the order of {@link #values}. */
  static final String[] KEYS = {TRACE_ID, SPAN_ID, TRACE_FLAGS, XRAY_TRACE_ID};

  private TraceIds() {}

  /** The values of {@link #KEYS} for {@code span}. */
  static String[] values(SpanContext span) {
    String traceId = span.getTraceId();
    return new String[] {
      traceId,
      span.getSpanId(),
      span.isSampled() ? "01" : "00",
      "1-" + traceId.substring(0, 8) + "-" + traceId.substring(8)
    };
  }
}
