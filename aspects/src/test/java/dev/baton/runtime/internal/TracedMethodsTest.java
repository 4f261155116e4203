package dev.baton.runtime.internal;

import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.semconv.ErrorAttributes;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The calls every generated advice makes, exercised in the advice's own order. */
class TracedMethodsTest {

  private static final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private static OpenTelemetrySdk sdk;

  @BeforeAll
  static void useInMemorySdk() {
    sdk =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                    .build())
            .build();
    BatonTelemetry.use(sdk);
  }

  @AfterAll
  static void closeSdk() {
    sdk.close();
  }

  @BeforeEach
  void reset() {
    exporter.reset();
  }

  private static Span start(String name) {
    return TracedMethods.tracer().spanBuilder(name).startSpan();
  }

  @Test
  void spanIsCurrentInsideAndEndedOnceAfterwards() {
    Span span = start("outer");
    Scope scope = TracedMethods.makeCurrent(span);
    assertThat(Span.current()).isSameAs(span);
    TracedMethods.end(span, scope);

    assertThat(Span.current()).isSameAs(Span.getInvalid());
    assertThat(exporter.getFinishedSpanItems()).hasSize(1);
    assertThat(exporter.getFinishedSpanItems().get(0))
        .hasName("outer")
        .hasInstrumentationScopeInfo(
            io.opentelemetry.sdk.common.InstrumentationScopeInfo.builder("dev.baton")
                .setVersion(BatonVersion.VERSION)
                .build());
  }

  @Test
  void failureIsRecordedAndRethrownAsTheSameObject() {
    IOException thrown = new IOException("disk full");
    Span span = start("save");
    Scope scope = TracedMethods.makeCurrent(span);
    TracedMethods.end(span, scope, thrown);

    assertThatThrownBy(() -> {
          throw TracedMethods.rethrow(thrown);
        })
        .isSameAs(thrown);
    SpanData data = exporter.getFinishedSpanItems().get(0);
    assertThat(data)
        .hasStatus(io.opentelemetry.sdk.trace.data.StatusData.error())
        .hasAttribute(ErrorAttributes.ERROR_TYPE, "java.io.IOException")
        .hasException(thrown);
  }

  @Test
  void completionStageEndsTheSpanWhenItCompletes() {
    CompletableFuture<String> future = new CompletableFuture<>();
    Span span = start("load");
    Scope scope = TracedMethods.makeCurrent(span);
    CompletableFuture<String> returned = TracedMethods.endWhenComplete(span, scope, future);

    assertThat(returned).isSameAs(future);
    assertThat(Span.current()).isSameAs(Span.getInvalid());
    assertThat(exporter.getFinishedSpanItems()).isEmpty();
    future.complete("done");
    assertThat(exporter.getFinishedSpanItems()).hasSize(1);
    assertThat(exporter.getFinishedSpanItems().get(0).getStatus().getStatusCode())
        .isEqualTo(StatusCode.UNSET);
  }

  @Test
  void completionStageFailingMarksTheSpanAsError() {
    CompletableFuture<String> future = new CompletableFuture<>();
    Span span = start("load");
    IllegalStateException failure = new IllegalStateException("gone");
    TracedMethods.endWhenComplete(span, TracedMethods.makeCurrent(span), future.thenApply(s -> s));
    future.completeExceptionally(failure);

    assertThat(exporter.getFinishedSpanItems().get(0))
        .hasStatus(io.opentelemetry.sdk.trace.data.StatusData.error())
        .hasException(failure);
  }

  @Test
  void recordFailureWithoutAThrowableSetsTheStatusOnly() {
    Span span = start("handler");
    TracedMethods.recordFailure(span, null);
    span.end();

    SpanData data = exporter.getFinishedSpanItems().get(0);
    assertThat(data).hasStatus(io.opentelemetry.sdk.trace.data.StatusData.error());
    assertThat(data.getAttributes().get(ErrorAttributes.ERROR_TYPE)).isNull();
    assertThat(data.getEvents()).isEmpty();
  }

  @Test
  void unwrapGivesTheCauseOfACompletionException() {
    IllegalStateException cause = new IllegalStateException("gone");
    assertThat(TracedMethods.unwrap(new java.util.concurrent.CompletionException(cause))).isSameAs(cause);
    java.util.concurrent.CompletionException bare = new java.util.concurrent.CompletionException("no cause", null);
    assertThat(TracedMethods.unwrap(bare)).isSameAs(bare);
    assertThat(TracedMethods.unwrap(cause)).isSameAs(cause);
  }

  @Test
  void nullCompletionStageEndsTheSpanAtOnce() {
    Span span = start("nothing");
    assertThat(TracedMethods.<CompletableFuture<?>>endWhenComplete(span, TracedMethods.makeCurrent(span), null))
        .isNull();
    assertThat(exporter.getFinishedSpanItems()).hasSize(1);
  }

  @Test
  void brokenSpanNeverThrowsIntoTheCaller() {
    Span broken =
        new Span() {
          @Override
          public <T> Span setAttribute(io.opentelemetry.api.common.AttributeKey<T> key, T value) {
            throw new IllegalStateException("attribute");
          }

          @Override
          public Span addEvent(String name, io.opentelemetry.api.common.Attributes attributes) {
            throw new IllegalStateException("event");
          }

          @Override
          public Span addEvent(
              String name,
              io.opentelemetry.api.common.Attributes attributes,
              long timestamp,
              java.util.concurrent.TimeUnit unit) {
            throw new IllegalStateException("event");
          }

          @Override
          public Span setStatus(StatusCode statusCode, String description) {
            throw new IllegalStateException("status");
          }

          @Override
          public Span recordException(
              Throwable exception, io.opentelemetry.api.common.Attributes additionalAttributes) {
            throw new IllegalStateException("exception");
          }

          @Override
          public Span updateName(String name) {
            return this;
          }

          @Override
          public void end() {
            throw new IllegalStateException("end");
          }

          @Override
          public void end(long timestamp, java.util.concurrent.TimeUnit unit) {
            throw new IllegalStateException("end");
          }

          @Override
          public io.opentelemetry.api.trace.SpanContext getSpanContext() {
            return io.opentelemetry.api.trace.SpanContext.getInvalid();
          }

          @Override
          public boolean isRecording() {
            return true;
          }

          @Override
          public Context storeInContext(Context context) {
            throw new IllegalStateException("context");
          }
        };
    long failuresBefore = Failures.count();

    Scope scope = TracedMethods.makeCurrent(broken);
    TracedMethods.end(broken, scope);
    TracedMethods.end(broken, TracedMethods.makeCurrent(broken), new RuntimeException("user"));

    assertThat(Failures.count()).isGreaterThan(failuresBefore);
    assertThat(TracedMethods.startFailed(new IllegalStateException("start")))
        .isSameAs(Span.getInvalid());
  }
}
