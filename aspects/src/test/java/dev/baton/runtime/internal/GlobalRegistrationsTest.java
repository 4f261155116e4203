package dev.baton.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The function's own global registration ({@link GlobalRegistrations}, what the woven {@code
 * GlobalOpenTelemetry.set} calls) against Baton's zero-code registration ({@link
 * BatonTelemetry#useAndRegisterGlobally}), on real SDKs, in every order and racing on threads:
 * the function's registration never fails because of Baton, and Baton ends on the function's SDK.
 */
class GlobalRegistrationsTest {

  private final InMemorySpanExporter batons = InMemorySpanExporter.create();
  private final InMemorySpanExporter functions = InMemorySpanExporter.create();
  private final OpenTelemetrySdk batonSdk = sdk(batons, W3CTraceContextPropagator.getInstance());
  private final OpenTelemetrySdk functionSdk = sdk(functions, W3CBaggagePropagator.getInstance());
  private final TelemetryFlush batonFlush = (invocation, timeoutMillis) -> {};
  private final TelemetryFlush functionFlush = (invocation, timeoutMillis) -> {};

  @BeforeEach
  @AfterEach
  void reset() {
    BatonTelemetry.use(null, null);
    GlobalOpenTelemetry.resetForTest();
  }

  @AfterEach
  void close() {
    batonSdk.close();
    functionSdk.close();
  }

  private static OpenTelemetrySdk sdk(InMemorySpanExporter exporter, TextMapPropagator propagator) {
    return OpenTelemetrySdk.builder()
        .setTracerProvider(
            SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
        .setPropagators(ContextPropagators.create(propagator))
        .build();
  }

  private static List<String> names(InMemorySpanExporter exporter) {
    return exporter.getFinishedSpanItems().stream().map(SpanData::getName).toList();
  }

  private static void batonSpan(String name) {
    BatonTelemetry.tracer().spanBuilder(name).startSpan().end();
  }

  /** What BuiltInTelemetry and AutoConfiguredTelemetry do on the first invocation. */
  private void batonsSetup() {
    BatonTelemetry.useAndRegisterGlobally(batonSdk, batonFlush);
  }

  @Test
  void afterBatonsSetupTheFunctionsRegistrationWorksAndBatonUsesItsInstance() {
    batonsSetup();
    batonSpan("before");

    GlobalRegistrations.register(functionSdk, functionFlush);
    batonSpan("after");
    GlobalOpenTelemetry.getTracer("function").spanBuilder("function's own").startSpan().end();

    assertThat(names(batons)).containsExactly("before");
    assertThat(names(functions)).containsExactly("after", "function's own");
    assertThat(BatonTelemetry.openTelemetry()).isSameAs(functionSdk);
    assertThat(BatonTelemetry.currentFlush()).isSameAs(functionFlush);
  }

  @Test
  void aGetBetweenBatonsSetupAndTheFunctionsRegistrationChangesNothing() {
    // The sequence of the review: another thread's get() while the function registers.
    batonsSetup();
    OpenTelemetry seenByAnotherThread = GlobalOpenTelemetry.get();

    GlobalRegistrations.register(functionSdk, functionFlush);

    assertThat(BatonTelemetry.openTelemetry()).isSameAs(functionSdk);
    assertThat(BatonTelemetry.currentFlush()).isSameAs(functionFlush);
    seenByAnotherThread.getTracer("library").spanBuilder("library's").startSpan().end();
    batonSpan("baton's");
    assertThat(names(functions)).containsExactly("library's", "baton's");
    assertThat(batons.getFinishedSpanItems()).isEmpty();
  }

  @Test
  void tracersAndPropagatorsObtainedBeforeTheRegistrationFollowIt() {
    batonsSetup();
    Tracer plain = GlobalOpenTelemetry.getTracer("library");
    Tracer versioned =
        GlobalOpenTelemetry.tracerBuilder("versioned")
            .setInstrumentationVersion("1.2.3")
            .setSchemaUrl("https://opentelemetry.io/schemas/1.37.0")
            .build();
    TextMapPropagator propagator = GlobalOpenTelemetry.getPropagators().getTextMapPropagator();
    plain.spanBuilder("plain, before").startSpan().end();
    assertThat(propagator.fields()).contains("traceparent");

    GlobalRegistrations.set(functionSdk);
    plain.spanBuilder("plain, after").startSpan().end();
    versioned.spanBuilder("versioned, after").startSpan().end();

    assertThat(names(batons)).containsExactly("plain, before");
    assertThat(names(functions)).containsExactly("plain, after", "versioned, after");
    SpanData versionedSpan = functions.getFinishedSpanItems().get(1);
    assertThat(versionedSpan.getInstrumentationScopeInfo().getName()).isEqualTo("versioned");
    assertThat(versionedSpan.getInstrumentationScopeInfo().getVersion()).isEqualTo("1.2.3");
    assertThat(versionedSpan.getInstrumentationScopeInfo().getSchemaUrl())
        .isEqualTo("https://opentelemetry.io/schemas/1.37.0");
    assertThat(propagator.fields()).containsExactly("baggage");
    assertThat(GlobalOpenTelemetry.getMeterProvider()).isSameAs(functionSdk.getMeterProvider());
  }

  @Test
  void anInstanceSetOnlyThroughTheApiIsUsedButNotFlushed() {
    batonsSetup();

    GlobalRegistrations.set(() -> (OpenTelemetry) functionSdk);

    assertThat(BatonTelemetry.openTelemetry()).isSameAs(functionSdk);
    assertThat(BatonTelemetry.currentFlush()).isNull();
  }

  @Test
  void aSecondRegistrationFailsAsWithoutBatonAndBatonKeepsTheFirst() {
    batonsSetup();
    GlobalRegistrations.register(functionSdk, functionFlush);

    assertThatThrownBy(() -> GlobalRegistrations.set(OpenTelemetry.noop()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("GlobalOpenTelemetry.set has already been called")
        .cause()
        .hasMessageContaining("the function's first global registration");
    assertThat(BatonTelemetry.openTelemetry()).isSameAs(functionSdk);
    assertThat(BatonTelemetry.currentFlush()).isSameAs(functionFlush);
    GlobalOpenTelemetry.getTracer("function").spanBuilder("still the first").startSpan().end();
    assertThat(names(functions)).containsExactly("still the first");
  }

  @Test
  void beforeBatonsSetupTheFunctionsInstanceIsRegisteredItselfAndBatonsSetupLeavesIt() {
    GlobalRegistrations.register(functionSdk, functionFlush);
    assertThat(BatonTelemetry.setUpByFunction()).isTrue();

    // A setup that checked just before the registration goes on; it must not take over.
    batonsSetup();

    assertThat(BatonTelemetry.openTelemetry()).isSameAs(functionSdk);
    assertThat(BatonTelemetry.currentFlush()).isSameAs(functionFlush);
    GlobalOpenTelemetry.getTracer("function").spanBuilder("function's own").startSpan().end();
    assertThat(names(functions)).containsExactly("function's own");
  }

  @Test
  void anInstanceRegisteredByCodeBatonDidNotWeaveMakesTheRegistrationFailAsWithoutBaton() {
    GlobalOpenTelemetry.set(OpenTelemetry.noop());
    batonsSetup();
    assertThat(BatonTelemetry.openTelemetry()).as("Baton keeps its own").isSameAs(batonSdk);

    assertThatThrownBy(() -> GlobalRegistrations.register(functionSdk, functionFlush))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("GlobalOpenTelemetry.set has already been called");
    assertThat(BatonTelemetry.openTelemetry()).isSameAs(batonSdk);
    assertThat(BatonTelemetry.currentFlush()).isSameAs(batonFlush);
  }

  @Test
  void anInstanceHandedToBatonWinsOverALaterGlobalRegistration() {
    OpenTelemetrySdk handed = sdk(InMemorySpanExporter.create(), W3CTraceContextPropagator.getInstance());
    TelemetryFlush handedFlush = (invocation, timeoutMillis) -> {};
    BatonTelemetry.use(handed, handedFlush);

    GlobalRegistrations.register(functionSdk, functionFlush);

    assertThat(BatonTelemetry.openTelemetry()).isSameAs(handed);
    assertThat(BatonTelemetry.currentFlush()).isSameAs(handedFlush);
    GlobalOpenTelemetry.getTracer("function").spanBuilder("function's own").startSpan().end();
    assertThat(names(functions)).containsExactly("function's own");
    handed.close();
  }

  /**
   * Baton's first-invocation setup, the function's registration (lazily, in another invocation)
   * and a third invocation creating spans with Baton's tracer, released together, many times: in
   * every interleaving the registration succeeds and both Baton and the global instance end on
   * the function's SDK.
   */
  @Test
  void batonsSetupRacingTheFunctionsRegistrationNeverFailsIt() throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(3);
    try {
      for (int round = 0; round < 500; round++) {
        reset();
        functions.reset();
        CyclicBarrier start = new CyclicBarrier(3);
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        Future<?> setup =
            threads.submit(
                () -> {
                  start.await();
                  batonsSetup();
                  return null;
                });
        Future<?> registration =
            threads.submit(
                () -> {
                  start.await();
                  GlobalRegistrations.register(functionSdk, functionFlush);
                  return null;
                });
        Future<?> invocation =
            threads.submit(
                () -> {
                  start.await();
                  while (!(setup.isDone() && registration.isDone())) {
                    try {
                      batonSpan("meanwhile");
                    } catch (Throwable failure) {
                      failures.add(failure);
                    }
                  }
                  return null;
                });
        registration.get(10, TimeUnit.SECONDS);
        setup.get(10, TimeUnit.SECONDS);
        invocation.get(10, TimeUnit.SECONDS);

        assertThat(failures).as("round %d", round).isEmpty();
        assertThat(BatonTelemetry.openTelemetry()).as("round %d", round).isSameAs(functionSdk);
        assertThat(BatonTelemetry.currentFlush()).as("round %d", round).isSameAs(functionFlush);
        functions.reset();
        GlobalOpenTelemetry.getTracer("function").spanBuilder("function's own").startSpan().end();
        batonSpan("baton's");
        assertThat(names(functions)).as("round %d", round).containsExactly("function's own", "baton's");
      }
    } finally {
      threads.shutdownNow();
    }
  }
}
