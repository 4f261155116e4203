package dev.baton.runtime.internal.sdk;

import dev.baton.runtime.internal.BatonTelemetry;
import dev.baton.runtime.internal.Failures;
import dev.baton.runtime.internal.export.InvocationSpanBuffer;
import dev.baton.runtime.internal.export.OtlpHttpSpanExporter;
import dev.baton.runtime.internal.export.XrayUdpSpanExporter;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Map;
import java.util.Properties;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>Zero-code setup without the autoconfigure module: traces only, exported with OTLP over HTTP at
 * the end of each invocation, on the tracer SDK alone ({@code opentelemetry-sdk-trace}, no metrics,
 * logs or OpenTelemetry exporter modules, no thread of its own). Meant to be called by the code
 * generated for a {@code @TracedHandler}, first on every invocation, where {@link
 * AutoConfiguredTelemetry} is not: it loads a fraction of the classes and jars autoconfigure
 * does, so that a cold start costs less.
 *
 * <p>The first call reads the standard settings ({@link BuiltInSettings}: {@code OTEL_*}
 * environment variables or {@code otel.*} system properties), builds an {@link SdkTracerProvider}
 * with the Lambda resource of {@link LambdaResource}, the configured sampler and one {@link
 * InvocationSpanBuffer} in front of an {@link OtlpHttpSpanExporter}, registers it globally (unless
 * something registered a global instance in between) and hands it to Baton with the buffer as its
 * flush, so each invocation ends with an export. An instance of this class is that OpenTelemetry:
 * the tracer provider and the propagators, nothing else. Nothing is built when {@code
 * OTEL_SDK_DISABLED=true}, when the function already handed Baton an SDK ({@code
 * Baton.useOpenTelemetry}) or registered a global OpenTelemetry itself. A setting it cannot honour
 * is reported once and leaves tracing off; the calls after it return at once.
 */
public final class BuiltInTelemetry implements OpenTelemetry {

  private static volatile boolean started;

  private final SdkTracerProvider tracerProvider;
  private final ContextPropagators propagators;
  private final InvocationSpanBuffer buffer;

  private BuiltInTelemetry(
      SdkTracerProvider tracerProvider,
      ContextPropagators propagators,
      InvocationSpanBuffer buffer) {
    this.tracerProvider = tracerProvider;
    this.propagators = propagators;
    this.buffer = buffer;
  }

  /** Sets up tracing on the first call; later calls cost one volatile read. Never throws. */
  public static void startOnce() {
    if (!started) {
      start(System.getProperties(), System.getenv());
    }
  }

  /**
   * The first call sets up tracing from these settings and environment; later ones do nothing.
   * Concurrent first calls (Managed Instances start several invocations at once) wait here until
   * the SDK is in place: {@code started} is published only after it, so that no invocation runs
   * on the no-op tracer meanwhile.
   */
  static synchronized void start(Properties properties, Map<String, String> environment) {
    if (started) {
      return;
    }
    try {
      if (BatonTelemetry.setUpByFunction()) {
        return;
      }
      BuiltInSettings settings = BuiltInSettings.read(properties, environment);
      BuiltInTelemetry telemetry = create(settings, environment);
      if (telemetry == null) {
        return;
      }
      BatonTelemetry.useAndRegisterGlobally(telemetry, telemetry.buffer);
      BatonTelemetry.parentInvocationsOnLambdaXrayHeader(settings.exportXray);
    } catch (Throwable failure) {
      Failures.report("setting up tracing from the OTEL_* settings", failure);
    } finally {
      started = true;
    }
  }

  /**
   * The OpenTelemetry {@code settings} describe, with the Lambda resource from {@code environment};
   * null when the SDK is disabled.
   */
  static BuiltInTelemetry create(BuiltInSettings settings, Map<String, String> environment) {
    if (settings.disabled) {
      return null;
    }
    Resource resource = LambdaResource.complete(settings.resource, environment);
    SdkTracerProviderBuilder builder =
        SdkTracerProvider.builder()
            .setResource(resource)
            .setSampler(
                settings.alwaysSampleErrors
                    ? FailedInvocations.recordInvocations(settings.sampler)
                    : settings.sampler)
            .setSpanLimits(settings.spanLimits)
            .setIdGenerator(RestoreSafeIds.create(settings.exportXray));
    SpanExporter exporter = null;
    if (settings.exportOtlp) {
      exporter =
          new OtlpHttpSpanExporter(
              settings.endpoint, settings.headers, settings.timeoutMillis, settings.gzip);
    } else if (settings.exportXray) {
      exporter = new XrayUdpSpanExporter(settings.daemonAddress);
    }
    InvocationSpanBuffer buffer = null;
    if (exporter != null) {
      buffer =
          InvocationSpanBuffer.forAllSpans(
              exporter,
              settings.maxQueueSize,
              settings.maxExportBatchSize,
              settings.timeoutMillis,
              settings.alwaysSampleErrors);
      buffer.renewAfterRestore();
      builder.addSpanProcessor(buffer);
    }
    return new BuiltInTelemetry(builder.build(), settings.propagators, buffer);
  }

  /** Whether the first call happened (for tests). */
  static boolean started() {
    return started;
  }

  /** Forgets the first call, so that the next one sets up again (for tests). */
  static synchronized void resetForTest() {
    started = false;
  }

  @Override
  public TracerProvider getTracerProvider() {
    return tracerProvider;
  }

  @Override
  public ContextPropagators getPropagators() {
    return propagators;
  }

  /** The buffer in front of the exporter; null with {@code OTEL_TRACES_EXPORTER=none}. */
  InvocationSpanBuffer buffer() {
    return buffer;
  }

  /** The SDK's tracer provider (for tests, and for shutting it down). */
  SdkTracerProvider sdkTracerProvider() {
    return tracerProvider;
  }

  @Override
  public String toString() {
    return "BuiltInTelemetry[" + tracerProvider + ", " + propagators + "]";
  }
}
