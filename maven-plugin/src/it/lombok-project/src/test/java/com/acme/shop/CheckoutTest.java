package com.acme.shop;

import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;
import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.equalTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.runtime.Baton;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import org.junit.jupiter.api.Test;

class CheckoutTest {

  @Test
  void lombokClassesAreWoven() {
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    Baton.useOpenTelemetry(
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
            .build());
    Cart cart = new Cart("ada");
    cart.getPrices().addAll(List.of(3, 4));

    assertThat(new Checkout().pay("ada", cart)).isEqualTo(6);

    List<SpanData> finished = spans.getFinishedSpanItems();
    assertThat(finished).extracting(SpanData::getName).containsExactly("Cart.total", "checkout");
    assertThat(finished.get(0))
        .hasParent(finished.get(1))
        .hasAttributesSatisfyingExactly(equalTo(AttributeKey.longKey("cart.discount"), 1L));
    assertThat(finished.get(1))
        .hasAttributesSatisfyingExactly(equalTo(AttributeKey.stringKey("cart.owner"), "ada"));
  }
}
