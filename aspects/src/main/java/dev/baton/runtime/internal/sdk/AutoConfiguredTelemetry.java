package dev.baton.runtime.internal.sdk;

import dev.baton.runtime.internal.BatonTelemetry;
import dev.baton.runtime.internal.Failures;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdkBuilder;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>Zero-code setup. The code generated for a {@code @TracedHandler} calls {@link #startOnce()}
 * first on every invocation, but only when the processor saw {@code
 * io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk} on the compile classpath:
 * this is the one runtime class that uses the autoconfigure module, and no other class loads it.
 *
 * <p>The first call builds the SDK from the usual settings ({@code OTEL_*} environment variables
 * or {@code otel.*} system properties: service name, exporter and endpoint, propagators, sampler),
 * with the Lambda resource of {@link LambdaResource} and Baton's steps ({@link AutoConfigureSteps}:
 * failed invocations exported whatever the sampler says, X-Ray ids and parents). {@code xray} and {@code xray-lambda} in
 * {@code OTEL_PROPAGATORS} work because Baton's runtime depends on {@code
 * opentelemetry-aws-xray-propagator}, whose provider autoconfigure finds. The SDK is registered
 * globally (unless something registered a global instance in between) and handed to Baton with
 * its flush, so each invocation ends with an export. Nothing is built when the function already
 * handed Baton an SDK ({@code Baton.useOpenTelemetry}) or registered a global OpenTelemetry
 * itself: Baton then uses that, and can flush only the former. A failure (a bad setting, a
 * missing exporter) is reported once and leaves tracing off; the call after it returns at once.
 */
public final class AutoConfiguredTelemetry {

  private static volatile boolean started;

  private AutoConfiguredTelemetry() {}

  /** Sets up the SDK on the first call; later calls cost one volatile read. Never throws. */
  public static void startOnce() {
    if (!started) {
      start();
    }
  }

  /** Whether the first call happened (for tests). */
  static boolean started() {
    return started;
  }

  /**
   * Concurrent first calls (Managed Instances start several invocations at once) wait here until
   * the SDK is in place: {@code started} is published only after it.
   */
  private static synchronized void start() {
    if (started) {
      return;
    }
    try {
      if (BatonTelemetry.setUpByFunction()) {
        return;
      }
      AutoConfigureSteps steps = new AutoConfigureSteps();
      OpenTelemetrySdk sdk =
          AutoConfiguredOpenTelemetrySdk.builder()
              .addResourceCustomizer(steps.new ResourceStep())
              .addSamplerCustomizer(steps.new SamplerStep())
              .addSpanExporterCustomizer(steps.new ExporterStep())
              .addTracerProviderCustomizer(steps.new TracerProviderStep())
              .build()
              .getOpenTelemetrySdk();
      BatonTelemetry.useAndRegisterGlobally(sdk, SdkFlush.of(sdk, steps.failedInvocations()));
    } catch (Throwable failure) {
      Failures.report("setting up OpenTelemetry from the OTEL_* settings", failure);
    } finally {
      started = true;
    }
  }

  /**
   * The function's own {@code builder.setResultAsGlobal()}, woven (advice of {@code
   * dev.baton.aspects.AutoConfiguredRegistration}): the builder is only marked, so that its {@code
   * build()} does not register the SDK itself, which would throw when Baton's setup registered
   * first, and {@link #build} registers it as the function's other registrations are.
   */
  public static AutoConfiguredOpenTelemetrySdkBuilder setResultAsGlobal(
      AutoConfiguredOpenTelemetrySdkBuilder builder) {
    ResultAsGlobal.BUILDERS.put(builder, Boolean.TRUE);
    return builder;
  }

  /**
   * The function's own autoconfigure {@code builder.build()}, woven: builds the SDK and, only when
   * {@code setResultAsGlobal()} marked the builder, registers it globally for the function ({@link
   * SdkRegistrations}), so that Baton then uses and flushes it. An SDK built without it is the
   * function's own business, and Baton goes on with what it used. What the build throws, or the
   * {@code IllegalStateException} of a registration that fails as it would without Baton, goes to
   * the caller.
   */
  public static AutoConfiguredOpenTelemetrySdk build(AutoConfiguredOpenTelemetrySdkBuilder builder) {
    AutoConfiguredOpenTelemetrySdk built = builder.build();
    if (ResultAsGlobal.BUILDERS.containsKey(builder)) {
      SdkRegistrations.register(built.getOpenTelemetrySdk());
    }
    return built;
  }

  /**
   * The builders {@code setResultAsGlobal()} marked (weakly held: one may never be built), loaded
   * only when a function calls it.
   */
  private static final class ResultAsGlobal {
    static final Map<AutoConfiguredOpenTelemetrySdkBuilder, Boolean> BUILDERS =
        Collections.synchronizedMap(new WeakHashMap<>());
  }
}
