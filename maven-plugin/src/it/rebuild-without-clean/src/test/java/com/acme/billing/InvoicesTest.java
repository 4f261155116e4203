package com.acme.billing;

import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.runtime.Baton;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import org.junit.jupiter.api.Test;

class InvoicesTest {

  /** Woven twice, each call would make two spans. */
  @Test
  void eachCallMakesExactlyOneSpan() {
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    Baton.useOpenTelemetry(
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
            .build());

    assertThat(new Invoices().total(2)).isEqualTo(24);

    List<SpanData> finished = spans.getFinishedSpanItems();
    assertThat(finished).extracting(SpanData::getName).containsExactly("Invoices.tax", "Invoices.total");
    assertThat(finished.get(0)).hasParent(finished.get(1));
  }
}
