package dev.baton.runtime.internal.sdk;

import dev.baton.runtime.internal.Failures;
import dev.baton.runtime.internal.TelemetryFlush;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import java.util.List;
import java.util.Locale;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>Failed invocations are always exported: where the head sampler drops an invocation (a
 * ratio, or a parent that says "not sampled"), its spans are still recorded ({@link
 * SamplingDecision#RECORD_ONLY}: recording, not sampled), kept with the invocation by {@code
 * InvocationSpanBuffer}, and exported only when the invocation fails (the handler threw, an HTTP
 * response of 5xx, SQS batch item failures); a successful invocation lets them go. Spans outside
 * any invocation keep the sampler's decision, and so does the context sent downstream (its
 * trace flags say "not sampled"): the next function decides for itself.
 *
 * <p>On by default; {@value #ENV}{@code =false} (or system property {@value #PROPERTY}) turns it
 * off, and the sampler's decision is then final, as in any OpenTelemetry SDK.
 */
public final class FailedInvocations {

  static final String ENV = "BATON_ALWAYS_SAMPLE_ERRORS";
  static final String PROPERTY = "baton.always.sample.errors";

  private FailedInvocations() {}

  /**
   * Whether failed invocations are always exported, from the setting's {@code value} (null or
   * blank: unset). A value other than {@code true} or {@code false} is reported once and counts
   * as the default, {@code true}.
   */
  static boolean enabled(String value) {
    if (value == null || value.isBlank()) {
      return true;
    }
    switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "true":
        return true;
      case "false":
        return false;
      default:
        Failures.reportInput(
            "a bad " + ENV,
            "'" + value + "': say true or false; failed invocations are exported (true)");
        return true;
    }
  }

  /** Whether failed invocations are always exported, from the system property or environment. */
  static boolean enabled() {
    String value = System.getProperty(PROPERTY);
    if (value == null || value.isBlank()) {
      value = System.getenv(ENV);
    }
    return enabled(value);
  }

  /** {@code sampler}, recording what it drops inside an invocation. */
  static Sampler recordInvocations(Sampler sampler) {
    return new RecordingInvocations(sampler);
  }

  /**
   * Records, without sampling, the spans the sampler drops inside an invocation (their parent
   * context carries {@link TelemetryFlush#INVOCATION}); everything else as the sampler says.
   * The sampler's attributes and trace state are kept.
   */
  static final class RecordingInvocations implements Sampler {

    private final Sampler sampler;

    RecordingInvocations(Sampler sampler) {
      this.sampler = sampler;
    }

    @Override
    public SamplingResult shouldSample(
        Context parentContext,
        String traceId,
        String name,
        SpanKind spanKind,
        Attributes attributes,
        List<LinkData> parentLinks) {
      SamplingResult result =
          sampler.shouldSample(parentContext, traceId, name, spanKind, attributes, parentLinks);
      if (result.getDecision() != SamplingDecision.DROP
          || parentContext == null
          || parentContext.get(TelemetryFlush.INVOCATION) == null) {
        return result;
      }
      if (result == SamplingResult.drop()) {
        return SamplingResult.recordOnly();
      }
      return new RecordOnly(result);
    }

    @Override
    public String getDescription() {
      return "RecordingFailedInvocations{" + sampler.getDescription() + "}";
    }

    @Override
    public String toString() {
      return getDescription();
    }
  }

  /** A drop turned into record-only, with the sampler's attributes and trace state. */
  private static final class RecordOnly implements SamplingResult {

    private final SamplingResult dropped;

    RecordOnly(SamplingResult dropped) {
      this.dropped = dropped;
    }

    @Override
    public SamplingDecision getDecision() {
      return SamplingDecision.RECORD_ONLY;
    }

    @Override
    public Attributes getAttributes() {
      return dropped.getAttributes();
    }

    @Override
    public TraceState getUpdatedTraceState(TraceState parentTraceState) {
      return dropped.getUpdatedTraceState(parentTraceState);
    }
  }
}
