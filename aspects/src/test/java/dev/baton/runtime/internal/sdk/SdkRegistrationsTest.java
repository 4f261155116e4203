package dev.baton.runtime.internal.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.runtime.internal.BatonTelemetry;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.OpenTelemetrySdkBuilder;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdkBuilder;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the woven {@code buildAndRegisterGlobal()} and autoconfigure's {@code
 * setResultAsGlobal().build()} do ({@link SdkRegistrations}, {@link
 * AutoConfiguredTelemetry#setResultAsGlobal}, {@link AutoConfiguredTelemetry#build}), against
 * Baton's real built-in setup, in sequence and racing on threads.
 */
class SdkRegistrationsTest {

  /** The built-in setup, exporting nothing: no collector needed. */
  private static final Map<String, String> ENVIRONMENT =
      Map.of("OTEL_TRACES_EXPORTER", "none", "AWS_LAMBDA_FUNCTION_NAME", "orders-fn");

  private static final Map<String, String> AUTOCONFIGURE =
      Map.of(
          "otel.traces.exporter", "none",
          "otel.metrics.exporter", "none",
          "otel.logs.exporter", "none");

  /** Set by Baton's Lambda resource only. */
  private static final AttributeKey<String> FAAS_NAME = AttributeKey.stringKey("faas.name");

  private final InMemorySpanExporter functions = InMemorySpanExporter.create();
  private final List<OpenTelemetrySdk> built = new ArrayList<>();

  @BeforeEach
  void reset() {
    BatonTelemetry.use(null, null);
    GlobalOpenTelemetry.resetForTest();
    BuiltInTelemetry.resetForTest();
    functions.reset();
  }

  @AfterEach
  void closeAndReset() {
    built.forEach(OpenTelemetrySdk::close);
    reset();
  }

  private static void batonsSetup() {
    BuiltInTelemetry.start(new Properties(), ENVIRONMENT);
  }

  private OpenTelemetrySdkBuilder functionsBuilder() {
    return OpenTelemetrySdk.builder()
        .setTracerProvider(
            SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(functions)).build());
  }

  private OpenTelemetrySdk buildAndRegisterGlobal() {
    OpenTelemetrySdk sdk = SdkRegistrations.buildAndRegisterGlobal(functionsBuilder());
    built.add(sdk);
    return sdk;
  }

  private static AutoConfiguredOpenTelemetrySdkBuilder autoconfigure() {
    return AutoConfiguredOpenTelemetrySdk.builder()
        .addPropertiesSupplier(() -> AUTOCONFIGURE)
        .disableShutdownHook();
  }

  private OpenTelemetrySdk build(AutoConfiguredOpenTelemetrySdkBuilder builder) {
    OpenTelemetrySdk sdk = AutoConfiguredTelemetry.build(builder).getOpenTelemetrySdk();
    built.add(sdk);
    return sdk;
  }

  private List<String> functionSpans() {
    return functions.getFinishedSpanItems().stream().map(SpanData::getName).toList();
  }

  @Test
  void buildAndRegisterGlobalAfterBatonsSetupWorksAndBatonUsesAndFlushesThatSdk() {
    batonsSetup();
    assertThat(BatonTelemetry.openTelemetry()).isInstanceOf(BuiltInTelemetry.class);

    OpenTelemetrySdk own = buildAndRegisterGlobal();

    assertThat(BatonTelemetry.openTelemetry()).isSameAs(own);
    assertThat(BatonTelemetry.currentFlush()).isInstanceOf(SdkFlush.class);
    GlobalOpenTelemetry.getTracer("function").spanBuilder("function's own").startSpan().end();
    BatonTelemetry.tracer().spanBuilder("baton's").startSpan().end();
    assertThat(functionSpans()).containsExactly("function's own", "baton's");
    assertThat(BatonTelemetry.flush(5_000)).isTrue();
  }

  @Test
  void aGetBetweenBatonsSetupAndBuildAndRegisterGlobalLeavesTracingOn() {
    // The sequence of the review: another thread's get() while the function registers.
    batonsSetup();
    GlobalOpenTelemetry.get();

    OpenTelemetrySdk own = buildAndRegisterGlobal();

    assertThat(BatonTelemetry.openTelemetry()).isSameAs(own);
    assertThat(BatonTelemetry.currentFlush()).isInstanceOf(SdkFlush.class);
    BatonTelemetry.tracer().spanBuilder("baton's").startSpan().end();
    assertThat(functionSpans()).containsExactly("baton's");
  }

  @Test
  void setResultAsGlobalAfterBatonsSetupWorksAndBatonUsesThatSdk() {
    batonsSetup();

    OpenTelemetrySdk own = build(AutoConfiguredTelemetry.setResultAsGlobal(autoconfigure()));

    assertThat(BatonTelemetry.openTelemetry()).isSameAs(own);
    assertThat(BatonTelemetry.currentFlush()).isInstanceOf(SdkFlush.class);
  }

  @Test
  void anAutoconfiguredSdkNotRegisteredGloballyLeavesBatonsOwn() {
    batonsSetup();
    OpenTelemetry batons = BatonTelemetry.openTelemetry();

    build(autoconfigure());

    assertThat(BatonTelemetry.openTelemetry()).isSameAs(batons);
  }

  @Test
  void aSecondSdkTheFunctionDoesNotRegisterLeavesTheOneItRegistered() {
    // The function registers its SDK at init, and later builds another for itself only.
    OpenTelemetrySdk registered = buildAndRegisterGlobal();
    batonsSetup();

    OpenTelemetrySdk privateOne = build(autoconfigure());

    assertThat(privateOne).isNotSameAs(registered);
    assertThat(BatonTelemetry.openTelemetry()).isSameAs(registered);
    GlobalOpenTelemetry.getTracer("function").spanBuilder("function's own").startSpan().end();
    assertThat(functionSpans()).containsExactly("function's own");
  }

  @Test
  void buildingAMarkedBuilderTwiceFailsTheSecondTimeAsWithoutBaton() {
    batonsSetup();
    AutoConfiguredOpenTelemetrySdkBuilder builder =
        AutoConfiguredTelemetry.setResultAsGlobal(autoconfigure());
    OpenTelemetrySdk first = build(builder);

    assertThatThrownBy(() -> build(builder))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("GlobalOpenTelemetry.set has already been called");
    assertThat(BatonTelemetry.openTelemetry()).isSameAs(first);
  }

  /**
   * The first invocation's built-in setup and the function's own {@code buildAndRegisterGlobal()}
   * (lazily, in another invocation), released together, many times: the registration never fails,
   * and Baton ends on the function's SDK, flushing it.
   */
  @Test
  void batonsSetupRacingBuildAndRegisterGlobalNeverFailsIt() throws Exception {
    race(200, this::buildAndRegisterGlobal);
  }

  /** As {@link #batonsSetupRacingBuildAndRegisterGlobalNeverFailsIt}, with autoconfigure. */
  @Test
  void batonsSetupRacingSetResultAsGlobalNeverFailsIt() throws Exception {
    race(50, () -> build(AutoConfiguredTelemetry.setResultAsGlobal(autoconfigure())));
  }

  private interface Registration {
    OpenTelemetrySdk register();
  }

  private void race(int rounds, Registration registration) throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < rounds; round++) {
        reset();
        CyclicBarrier start = new CyclicBarrier(2);
        Future<?> setup =
            threads.submit(
                () -> {
                  start.await();
                  batonsSetup();
                  return null;
                });
        Future<OpenTelemetrySdk> registered =
            threads.submit(
                () -> {
                  start.await();
                  return registration.register();
                });
        OpenTelemetrySdk own = registered.get(30, TimeUnit.SECONDS);
        setup.get(30, TimeUnit.SECONDS);

        assertThat(BatonTelemetry.openTelemetry()).as("round %d", round).isSameAs(own);
        assertThat(BatonTelemetry.currentFlush()).as("round %d", round).isInstanceOf(SdkFlush.class);
        Span span = GlobalOpenTelemetry.getTracer("function").spanBuilder("own").startSpan();
        span.end();
        assertThat(((ReadableSpan) span).toSpanData().getResource().getAttribute(FAAS_NAME))
            .as("round %d: the global instance is the function's, not Baton's", round)
            .isNull();
      }
    } finally {
      threads.shutdownNow();
    }
  }
}
