package dev.baton.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.runtime.internal.export.OtlpSpanEncoder;
import io.opentelemetry.context.Context;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.Collection;

/**
 * The oracles every fuzz target checks after each input (issue "Bad input never costs a trace"):
 * no Baton code threw into its safety net, the context is the root again, and what would be
 * exported decodes with the OTLP protobuf classes themselves.
 */
public final class FuzzOracles {

  private FuzzOracles() {}

  /** The safety net's count now: pass it to {@link #assertNothingCaughtSince} after the input. */
  public static long caught() {
    return Failures.caught();
  }

  /** Baton's own code threw nothing into the safety net since {@code before}. */
  public static void assertNothingCaughtSince(long before) {
    assertThat(Failures.caught() - before)
        .as("exceptions Baton's safety net caught (its own code must not throw)")
        .isZero();
  }

  /** No scope was left open: the current context is the root again. */
  public static void assertRootContext() {
    assertThat(Context.current()).as("Context.current() after the input").isSameAs(Context.root());
  }

  /**
   * {@code spans} encode with Baton's OTLP encoder into a request that {@code opentelemetry-proto}
   * parses (strings valid UTF-8), with 16-byte trace ids and 8-byte span ids, as many spans as
   * were given.
   */
  public static void assertExportDecodes(Collection<SpanData> spans) {
    byte[] encoded = OtlpSpanEncoder.encode(spans);
    ExportTraceServiceRequest request;
    try {
      request = ExportTraceServiceRequest.parseFrom(encoded);
    } catch (Exception invalid) {
      throw new AssertionError("the export does not decode: " + invalid, invalid);
    }
    int count = 0;
    for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
      for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
        for (Span span : scopeSpans.getSpansList()) {
          count++;
          assertThat(span.getTraceId().size()).as("trace id bytes").isEqualTo(16);
          assertThat(span.getSpanId().size()).as("span id bytes").isEqualTo(8);
          assertThat(span.getParentSpanId().size()).as("parent span id bytes").isIn(0, 8);
          for (Span.Link link : span.getLinksList()) {
            assertThat(link.getTraceId().size()).as("link trace id bytes").isEqualTo(16);
            assertThat(link.getSpanId().size()).as("link span id bytes").isEqualTo(8);
          }
        }
      }
    }
    assertThat(count).as("spans in the export").isEqualTo(spans.size());
  }
}
