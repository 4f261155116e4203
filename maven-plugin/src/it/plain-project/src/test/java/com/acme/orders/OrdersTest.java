package com.acme.orders;

import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;
import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.equalTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.baton.runtime.Baton;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OrdersTest {

  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final Orders orders = new Orders();

  @BeforeEach
  void useInMemoryExporter() {
    Baton.useOpenTelemetry(
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
            .build());
  }

  @Test
  void nestedTracedCallsAreChildren() throws Exception {
    assertThat(orders.place("o-1", 3)).isEqualTo(30);

    List<SpanData> finished = spans.getFinishedSpanItems();
    assertThat(finished).extracting(SpanData::getName)
        .containsExactly("Pricing.unitPrice", "Orders.price", "place order");
    assertThat(finished.get(2))
        .hasKind(SpanKind.INTERNAL)
        .hasNoParent()
        .hasAttributesSatisfyingExactly(
            equalTo(AttributeKey.stringKey("order.id"), "o-1"),
            equalTo(AttributeKey.longKey("quantity"), 3L));
    assertThat(finished.get(1))
        .hasParent(finished.get(2))
        .hasAttributesSatisfyingExactly(
            equalTo(AttributeKey.stringArrayKey("order.items"), List.of("book", "pen")));
    assertThat(finished.get(0)).hasParent(finished.get(1));
  }

  @Test
  void failureEndsSpanWithErrorAndRethrowsTheSameException() {
    Throwable thrown = catchThrowable(() -> orders.place("o-2", 0));

    assertThat(thrown).isInstanceOf(OrderRejected.class);
    assertThat(spans.getFinishedSpanItems()).singleElement().satisfies(span ->
        assertThat(span)
            .hasName("place order")
            .hasStatusSatisfying(status -> status.hasCode(StatusCode.ERROR))
            .hasException(thrown));
  }

  @Test
  void asynchronousResultEndsSpanOnCompletion() {
    CompletableFuture<String> delivery = new CompletableFuture<>();

    assertThat(orders.ship("o-3", delivery)).isSameAs(delivery);
    assertThat(spans.getFinishedSpanItems()).isEmpty();

    delivery.completeExceptionally(new IllegalStateException("lost"));
    assertThat(spans.getFinishedSpanItems()).singleElement().satisfies(span ->
        assertThat(span)
            .hasName("Orders.ship")
            .hasKind(SpanKind.PRODUCER)
            .hasStatusSatisfying(status -> status.hasCode(StatusCode.ERROR)));
  }

  @Test
  void wovenCodeRunsWithoutTheAspectJRuntime() throws Exception {
    assertThat(getClass().getClassLoader().getResource("org/aspectj/lang/NoAspectBoundException.class"))
        .as("AspectJ's runtime on the test classpath")
        .isNull();

    assertThat(orders.place("o-4", 1)).isEqualTo(10);
    assertThat(spans.getFinishedSpanItems()).hasSize(3);
  }

  @Test
  void staticMethodsAreTraced() {
    assertThat(Orders.Pricing.unitPrice(2)).isEqualTo(10);

    assertThat(spans.getFinishedSpanItems()).extracting(SpanData::getName)
        .containsExactly("Pricing.unitPrice");
  }
}
