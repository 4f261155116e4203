package dev.baton.runtime.internal.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.runtime.internal.Failures;
import dev.baton.runtime.internal.TelemetryFlush;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the head sampler drops inside an invocation is recorded, so that a failure can export it. */
class FailedInvocationsTest {

  private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
  private static final Context IN_AN_INVOCATION =
      Context.root().with(TelemetryFlush.INVOCATION, new TelemetryFlush.Invocation() {});

  private static SamplingResult sample(Sampler sampler, Context parent) {
    return FailedInvocations.recordInvocations(sampler)
        .shouldSample(parent, TRACE_ID, "span", SpanKind.INTERNAL, Attributes.empty(), List.of());
  }

  @Test
  void aDropInsideAnInvocationIsRecordedAndNotSampled() {
    assertThat(sample(Sampler.alwaysOff(), IN_AN_INVOCATION).getDecision())
        .isEqualTo(SamplingDecision.RECORD_ONLY);
    assertThat(sample(Sampler.traceIdRatioBased(0), IN_AN_INVOCATION).getDecision())
        .isEqualTo(SamplingDecision.RECORD_ONLY);
  }

  @Test
  void outsideAnInvocationAndForSampledSpansTheSamplerDecides() {
    assertThat(sample(Sampler.alwaysOff(), Context.root()).getDecision()).isEqualTo(SamplingDecision.DROP);
    assertThat(sample(Sampler.alwaysOff(), null).getDecision()).isEqualTo(SamplingDecision.DROP);
    assertThat(sample(Sampler.alwaysOn(), IN_AN_INVOCATION).getDecision())
        .isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
  }

  @Test
  void theSamplersAttributesAndTraceStateAreKept() {
    Attributes attributes = Attributes.of(AttributeKey.stringKey("sampler.rule"), "errors");
    Sampler dropping = new Sampler() {
      @Override
      public SamplingResult shouldSample(Context parentContext, String traceId, String name,
          SpanKind spanKind, Attributes spanAttributes, List<LinkData> parentLinks) {
        return new SamplingResult() {
          @Override
          public SamplingDecision getDecision() {
            return SamplingDecision.DROP;
          }

          @Override
          public Attributes getAttributes() {
            return attributes;
          }

          @Override
          public TraceState getUpdatedTraceState(TraceState parentTraceState) {
            return parentTraceState.toBuilder().put("rule", "errors").build();
          }
        };
      }

      @Override
      public String getDescription() {
        return "Dropping";
      }
    };

    SamplingResult result = sample(dropping, IN_AN_INVOCATION);

    assertThat(result.getDecision()).isEqualTo(SamplingDecision.RECORD_ONLY);
    assertThat(result.getAttributes()).isEqualTo(attributes);
    assertThat(result.getUpdatedTraceState(TraceState.getDefault()).get("rule")).isEqualTo("errors");
    assertThat(FailedInvocations.recordInvocations(dropping).getDescription())
        .isEqualTo("RecordingFailedInvocations{Dropping}");
  }

  @Test
  void onByDefaultOffWithFalseAndABadValueIsReported() {
    assertThat(FailedInvocations.enabled(null)).isTrue();
    assertThat(FailedInvocations.enabled(" ")).isTrue();
    assertThat(FailedInvocations.enabled("TRUE")).isTrue();
    assertThat(FailedInvocations.enabled(" false ")).isFalse();
    long before = Failures.count();
    assertThat(FailedInvocations.enabled("no")).isTrue();
    assertThat(Failures.count()).isEqualTo(before + 1);
  }

  @Test
  void theBuiltInSetupReadsTheSetting() {
    assertThat(BuiltInSettings.read(new java.util.Properties(), Map.of()).alwaysSampleErrors).isTrue();
    assertThat(BuiltInSettings.read(new java.util.Properties(), Map.of("BATON_ALWAYS_SAMPLE_ERRORS", "false"))
        .alwaysSampleErrors).isFalse();
    assertThat(BuiltInSettings.read(new java.util.Properties(), Map.of("OTEL_TRACES_EXPORTER", "none"))
        .alwaysSampleErrors).as("nothing to export").isFalse();
  }
}
