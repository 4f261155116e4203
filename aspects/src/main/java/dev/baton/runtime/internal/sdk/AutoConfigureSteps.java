package dev.baton.runtime.internal.sdk;

import dev.baton.runtime.internal.BatonTelemetry;
import dev.baton.runtime.internal.export.InvocationSpanBuffer;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>What Baton adds to the SDK autoconfigure builds ({@link AutoConfiguredTelemetry}), as the
 * builder's customizers, which autoconfigure calls in this order while it builds: the Lambda
 * resource; the sampler, which records what it drops inside an invocation ({@link
 * FailedInvocations}, unless {@code BATON_ALWAYS_SAMPLE_ERRORS=false} or nothing is exported);
 * each span exporter, which is noted; then the tracer provider: X-Ray compatible ids and parents
 * when {@code xray} is an exporter, and an {@link InvocationSpanBuffer} beside the SDK's batch
 * processor that exports a failed invocation's unsampled spans through the same exporters. Small
 * classes rather than lambdas, which would be spun on the cold path.
 *
 * <p>One instance per build, used by the building thread only.
 */
final class AutoConfigureSteps {

  static final String TRACES_EXPORTER = "otel.traces.exporter";

  private final List<SpanExporter> exporters = new ArrayList<>(1);
  private boolean keepFailed;
  private InvocationSpanBuffer failedInvocations;

  /** The buffer for failed invocations' unsampled spans; null when there is none. */
  InvocationSpanBuffer failedInvocations() {
    return failedInvocations;
  }

  /** Completes the resource with Lambda's attributes. */
  final class ResourceStep implements BiFunction<Resource, ConfigProperties, Resource> {
    @Override
    public Resource apply(Resource resource, ConfigProperties config) {
      return LambdaResource.complete(resource, System.getenv());
    }
  }

  /** Records, inside invocations, what the configured sampler drops. */
  final class SamplerStep implements BiFunction<Sampler, ConfigProperties, Sampler> {
    @Override
    public Sampler apply(Sampler sampler, ConfigProperties config) {
      List<String> names = config.getList(TRACES_EXPORTER);
      boolean exporting = names.isEmpty() || !(names.size() == 1 && names.contains("none"));
      keepFailed = exporting && FailedInvocations.enabled(config.getString(FailedInvocations.PROPERTY));
      return keepFailed ? FailedInvocations.recordInvocations(sampler) : sampler;
    }
  }

  /** Notes each span exporter autoconfigure made, unchanged. */
  final class ExporterStep implements BiFunction<SpanExporter, ConfigProperties, SpanExporter> {
    @Override
    public SpanExporter apply(SpanExporter exporter, ConfigProperties config) {
      exporters.add(exporter);
      return exporter;
    }
  }

  /** X-Ray ids and parents; the buffer for failed invocations. */
  final class TracerProviderStep
      implements BiFunction<SdkTracerProviderBuilder, ConfigProperties, SdkTracerProviderBuilder> {
    @Override
    public SdkTracerProviderBuilder apply(
        SdkTracerProviderBuilder tracerProvider, ConfigProperties config) {
      boolean xray = config.getList(TRACES_EXPORTER).contains("xray");
      BatonTelemetry.parentInvocationsOnLambdaXrayHeader(xray);
      tracerProvider.setIdGenerator(RestoreSafeIds.create(xray));
      if (keepFailed && !exporters.isEmpty()) {
        SpanExporter exporter =
            exporters.size() == 1 ? exporters.get(0) : SpanExporter.composite(exporters);
        failedInvocations =
            InvocationSpanBuffer.forFailedInvocations(
                exporter,
                positive(config, "otel.bsp.max.queue.size", 2048),
                positive(config, "otel.bsp.max.export.batch.size", 512),
                config.getDuration("otel.bsp.export.timeout", Duration.ofSeconds(30)).toMillis());
        failedInvocations.renewAfterRestore();
        tracerProvider.addSpanProcessor(failedInvocations);
      }
      return tracerProvider;
    }
  }

  /** An int setting, its default when it is not positive (autoconfigure's processor refuses it). */
  private static int positive(ConfigProperties config, String name, int fallback) {
    int value = config.getInt(name, fallback);
    return value > 0 ? value : fallback;
  }
}
