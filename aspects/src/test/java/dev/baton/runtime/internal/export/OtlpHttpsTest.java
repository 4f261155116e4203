package dev.baton.runtime.internal.export;

import static dev.baton.runtime.internal.export.OtlpHttpSpanExporterTest.marshaled;
import static dev.baton.runtime.internal.export.OtlpHttpSpanExporterTest.spans;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The exporter over TLS, against a local collector with a self-signed certificate for {@code
 * localhost} that only the test's trust store trusts.
 */
class OtlpHttpsTest {

  private ScriptedCollector collector;

  @BeforeEach
  void start() throws Exception {
    collector = ScriptedCollector.tls();
  }

  @AfterEach
  void stop() {
    collector.close();
  }

  private OtlpHttpSpanExporter exporter(String host) throws Exception {
    return new OtlpHttpSpanExporter(
        collector.endpoint(host),
        Map.of("Authorization", "Bearer secret"),
        5_000,
        false,
        CollectorEndpoint.DNS,
        ScriptedCollector.trustingFactory());
  }

  @Test
  void exportsOverTlsWithTheHostNameAsSni() throws Exception {
    List<SpanData> spans = spans(3);
    OtlpHttpSpanExporter exporter = exporter("localhost");

    CompletableResultCode result = exporter.export(spans);

    assertThat(result.isSuccess()).as("%s", result.getFailureThrowable()).isTrue();
    assertThat(collector.requests()).hasSize(1);
    assertThat(collector.requests().get(0).body()).isEqualTo(marshaled(spans));
    assertThat(collector.requests().get(0).headers())
        .containsEntry("host", "localhost:" + collector.port())
        .containsEntry("authorization", "Bearer secret");
    assertThat(collector.serverNames()).containsExactly("localhost");
    exporter.shutdown();
  }

  @Test
  void aSecondExportReusesTheTlsConnection() throws Exception {
    OtlpHttpSpanExporter exporter = exporter("localhost");

    assertThat(exporter.export(spans(1)).isSuccess()).isTrue();
    assertThat(exporter.export(spans(2)).isSuccess()).isTrue();

    assertThat(collector.requests()).hasSize(2);
    assertThat(collector.connections()).isEqualTo(1);
    exporter.shutdown();
  }

  @Test
  void aKeptTlsConnectionTheCollectorClosedIsReplaced() throws Exception {
    OtlpHttpSpanExporter exporter = exporter("localhost");
    assertThat(exporter.export(spans(1)).isSuccess()).isTrue();
    collector.dropConnections();

    CompletableResultCode result = exporter.export(spans(1));

    assertThat(result.isSuccess()).as("%s", result.getFailureThrowable()).isTrue();
    assertThat(collector.connections()).isEqualTo(2);
    exporter.shutdown();
  }

  @Test
  void aCertificateForAnotherNameIsRefused() throws Exception {
    // The certificate names localhost only; 127.0.0.1 is the same collector, not the same name.
    CompletableResultCode result = exporter("127.0.0.1").export(spans(1));

    assertThat(result.isSuccess()).isFalse();
    assertThat(result.getFailureThrowable()).isInstanceOf(SSLHandshakeException.class);
    assertThat(collector.requests()).isEmpty();
  }

  @Test
  void theJdksTrustStoreDoesNotTrustTheTestCertificate() throws Exception {
    // Without a factory, the JDK's default SSLContext: what a function uses.
    OtlpHttpSpanExporter exporter =
        new OtlpHttpSpanExporter(collector.endpoint("localhost"), Map.of(), 5_000, false);

    CompletableResultCode result = exporter.export(spans(1));

    assertThat(result.isSuccess()).isFalse();
    assertThat(result.getFailureThrowable()).isInstanceOf(SSLHandshakeException.class);
    assertThat(collector.requests()).isEmpty();
  }
}
