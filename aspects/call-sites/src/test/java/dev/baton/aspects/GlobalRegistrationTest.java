package dev.baton.aspects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.runtime.internal.BatonTelemetry;
import dev.baton.runtime.internal.sdk.SdkFlush;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A function that registers its own OpenTelemetry globally after Baton's zero-code setup did
 * (as functions migrating to Baton do, often lazily in their handler) works as it did without
 * Baton: Baton's global instance switches to the function's, and Baton's spans go to the
 * function's SDK. This class is woven by {@code baton:weave} with the library aspects,
 * so the registration calls below are woven as in a function.
 */
class GlobalRegistrationTest {

  private final InMemorySpanExporter batons = InMemorySpanExporter.create();
  private final InMemorySpanExporter functions = InMemorySpanExporter.create();
  private OpenTelemetrySdk zeroCode;

  @BeforeEach
  void zeroCodeSetup() {
    reset();
    zeroCode = sdk(batons);
    // What BuiltInTelemetry and AutoConfiguredTelemetry do on the first invocation.
    BatonTelemetry.useAndRegisterGlobally(zeroCode, SdkFlush.of(zeroCode));
  }

  @AfterEach
  void reset() {
    BatonTelemetry.use(null, null);
    GlobalOpenTelemetry.resetForTest();
  }

  private static OpenTelemetrySdk sdk(InMemorySpanExporter exporter) {
    return OpenTelemetrySdk.builder()
        .setTracerProvider(
            SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
        .build();
  }

  private static void batonSpan(String name) {
    BatonTelemetry.tracer().spanBuilder(name).startSpan().end();
  }

  @Test
  void buildAndRegisterGlobalAfterBatonsSetupWorksAndBatonUsesThatSdk() {
    batonSpan("before");

    OpenTelemetrySdk own =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(functions)).build())
            .buildAndRegisterGlobal();
    GlobalOpenTelemetry.getTracer("function").spanBuilder("function's own").startSpan().end();
    batonSpan("after");

    assertThat(batons.getFinishedSpanItems()).extracting(SpanData::getName).containsExactly("before");
    assertThat(functions.getFinishedSpanItems())
        .extracting(SpanData::getName)
        .containsExactly("function's own", "after");
    assertThat(BatonTelemetry.openTelemetry()).isSameAs(own);
    assertThat(BatonTelemetry.currentFlush()).isNotNull();
    own.close();
  }

  @Test
  void globalOpenTelemetrySetAfterBatonsSetupWorks() {
    OpenTelemetrySdk own = sdk(functions);

    GlobalOpenTelemetry.set(own);
    batonSpan("after");

    assertThat(functions.getFinishedSpanItems()).extracting(SpanData::getName).containsExactly("after");
    assertThat(BatonTelemetry.currentFlush()).as("known only by the API: not flushed by Baton").isNull();
    own.close();
  }

  @Test
  void aRegistrationThatFailsFailsAsWithoutBatonAndBatonKeepsItsOwn() {
    OpenTelemetrySdk own = sdk(functions);
    GlobalOpenTelemetry.set(own);
    OpenTelemetry second = OpenTelemetry.noop();

    assertThatThrownBy(() -> GlobalOpenTelemetry.set(second))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("GlobalOpenTelemetry.set has already been called");
    assertThat(BatonTelemetry.openTelemetry()).isSameAs(own);
    own.close();
  }

  @Test
  void aGetBetweenBatonsSetupAndTheRegistrationChangesNothing() {
    // Another thread asking for the global instance while the function registers its own.
    io.opentelemetry.api.trace.Tracer early = GlobalOpenTelemetry.get().getTracer("library");

    OpenTelemetrySdk own =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(functions)).build())
            .buildAndRegisterGlobal();
    early.spanBuilder("library's").startSpan().end();
    batonSpan("after");

    assertThat(BatonTelemetry.openTelemetry()).isSameAs(own);
    assertThat(BatonTelemetry.currentFlush()).isNotNull();
    assertThat(functions.getFinishedSpanItems())
        .extracting(SpanData::getName)
        .containsExactly("library's", "after");
    own.close();
  }

  @Test
  void aRegisteredSdkStaysBatonsWhenTheFunctionBuildsAnotherForItself() {
    reset(); // the function registers at init, before Baton's first invocation
    OpenTelemetrySdk own = sdk(functions);
    GlobalOpenTelemetry.set(own);

    AutoConfiguredOpenTelemetrySdk privateOne =
        AutoConfiguredOpenTelemetrySdk.builder()
            .addPropertiesSupplier(() -> Map.of(
                "otel.traces.exporter", "none", "otel.metrics.exporter", "none", "otel.logs.exporter", "none"))
            .disableShutdownHook()
            .build();

    assertThat(BatonTelemetry.openTelemetry()).isSameAs(own);
    privateOne.getOpenTelemetrySdk().close();
    own.close();
  }

  @Test
  void anAutoconfiguredSdkThatIsNotRegisteredGloballyLeavesBatonsRegistration() {
    AutoConfiguredOpenTelemetrySdk own =
        AutoConfiguredOpenTelemetrySdk.builder()
            .addPropertiesSupplier(() -> Map.of(
                "otel.traces.exporter", "none", "otel.metrics.exporter", "none", "otel.logs.exporter", "none"))
            .build();

    assertThat(GlobalOpenTelemetry.isSet()).isTrue();
    batonSpan("still Baton's");
    assertThat(batons.getFinishedSpanItems()).extracting(SpanData::getName).containsExactly("still Baton's");
    own.getOpenTelemetrySdk().close();
  }

  @Test
  void anAutoconfiguredSdkRegisteredGloballyBecomesBatons() {
    AutoConfiguredOpenTelemetrySdk own =
        AutoConfiguredOpenTelemetrySdk.builder()
            .addPropertiesSupplier(() -> Map.of(
                "otel.traces.exporter", "none", "otel.metrics.exporter", "none", "otel.logs.exporter", "none"))
            .setResultAsGlobal()
            .build();

    assertThat(BatonTelemetry.openTelemetry()).isSameAs(own.getOpenTelemetrySdk());
    own.getOpenTelemetrySdk().close();
  }
}
