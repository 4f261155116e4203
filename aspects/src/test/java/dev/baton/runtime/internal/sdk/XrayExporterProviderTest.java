package dev.baton.runtime.internal.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code OTEL_TRACES_EXPORTER=xray} works with autoconfigure too: it finds Baton's provider. */
class XrayExporterProviderTest {

  @Test
  void autoconfigureFindsTheXrayExporterByName() {
    OpenTelemetrySdk sdk =
        AutoConfiguredOpenTelemetrySdk.builder()
            .addPropertiesSupplier(() -> Map.of(
                "otel.traces.exporter", "xray",
                "otel.metrics.exporter", "none",
                "otel.logs.exporter", "none"))
            .build()
            .getOpenTelemetrySdk();
    try {
      assertThat(sdk.getSdkTracerProvider().toString())
          .contains("XrayUdpSpanExporter[" + System.getenv().getOrDefault("AWS_XRAY_DAEMON_ADDRESS", "127.0.0.1:2000"));
    } finally {
      sdk.close();
    }
  }
}
