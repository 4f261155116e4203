package dev.baton.runtime.internal.export;

import static dev.baton.runtime.internal.export.OtlpHttpSpanExporterTest.spans;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.runtime.internal.export.ScriptedCollector.Answer;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The exporter's HTTP/1.1 over its own sockets, against a collector that answers byte for byte
 * what each test scripts: which answers it reads, and when it keeps a connection for the next
 * export.
 */
class OtlpHttpConnectionsTest {

  private ScriptedCollector collector;
  private OtlpHttpSpanExporter exporter;

  @BeforeEach
  void start() throws IOException {
    collector = ScriptedCollector.start();
    exporter = new OtlpHttpSpanExporter(collector.endpoint(), Map.of(), 5_000, false);
  }

  @AfterEach
  void stop() {
    exporter.shutdown();
    collector.close();
  }

  private void exportTwice() {
    assertThat(exporter.export(spans(1)).isSuccess()).isTrue();
    assertThat(exporter.export(spans(2)).isSuccess()).isTrue();
    assertThat(collector.requests()).hasSize(2);
  }

  @Test
  void sendsOneHttp11PostWithTheHostAndTheLength() {
    assertThat(exporter.export(spans(2)).isSuccess()).isTrue();

    ScriptedCollector.Request request = collector.requests().get(0);
    assertThat(request.line()).isEqualTo("POST /v1/traces HTTP/1.1");
    assertThat(request.headers())
        .containsEntry("host", "127.0.0.1:" + collector.port())
        .containsEntry("content-length", Integer.toString(request.body().length))
        .containsEntry("content-type", "application/x-protobuf")
        .doesNotContainKeys("connection", "transfer-encoding", "expect");
  }

  @Test
  void aLengthFramedAnswerKeepsTheConnection() {
    collector.answer(Answer.of("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}"));

    exportTwice();

    assertThat(collector.connections()).isEqualTo(1);
  }

  @Test
  void aChunkedAnswerIsReadToItsEndAndKeepsTheConnection() {
    collector.answer(
        Answer.of(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "3;ext=1\r\nabc\r\n10\r\n0123456789abcdef\r\n0\r\nTrailer: x\r\n\r\n"));

    exportTwice();

    assertThat(collector.connections()).isEqualTo(1);
  }

  @Test
  void interimAnswersBeforeTheStatusAreSkipped() {
    collector.answer(
        Answer.of("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: x\r\n\r\n" + ScriptedCollector.OK));

    exportTwice();

    assertThat(collector.connections()).isEqualTo(1);
  }

  @Test
  void connectionCloseIsHonoured() {
    collector.answer(Answer.of("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"));

    exportTwice();

    assertThat(collector.connections()).isEqualTo(2);
  }

  @Test
  void anHttp10AnswerIsNotKept() {
    collector.answer(Answer.of("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n"));

    exportTwice();

    assertThat(collector.connections()).isEqualTo(2);
  }

  @Test
  void anAnswerWithoutLengthOrChunksIsASuccessAndTheConnectionIsNotKept() {
    // The body would end when the connection does, which this collector never closes.
    collector.answer(Answer.of("HTTP/1.1 200 OK\r\n\r\nsome body"));

    exportTwice();

    assertThat(collector.connections()).isEqualTo(2);
  }

  @Test
  void bytesAfterTheBodyMakeTheConnectionUnfitToKeep() {
    collector.answer(Answer.of("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}garbage"));

    exportTwice();

    assertThat(collector.connections()).isEqualTo(2);
  }

  @Test
  void bothLengthAndChunksMakeTheConnectionUnfitToKeep() {
    collector.answer(
        Answer.of("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"));

    exportTwice();

    assertThat(collector.connections()).isEqualTo(2);
  }

  @Test
  void aKeepAliveTimeoutOfOneSecondOrLessIsNotWaitedOut() {
    // Kept idle at most the collector's timeout less a second: here not at all.
    collector.answer(Answer.of("HTTP/1.1 200 OK\r\nKeep-Alive: timeout=1\r\nContent-Length: 0\r\n\r\n"));

    exportTwice();

    assertThat(collector.connections()).isEqualTo(2);
  }

  @Test
  void anErrorAnswerInChunksNamesItsStartAndKeepsTheConnection() {
    collector.answer(
        Answer.of(
            "HTTP/1.1 400 Bad Request\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "8\r\nmalforme\r\n9\r\nd request\r\n0\r\n\r\n"));

    CompletableResultCode result = exporter.export(spans(1));

    assertThat(result.getFailureThrowable())
        .isInstanceOf(OtlpHttpSpanExporter.StatusException.class)
        .hasMessageEndingWith("answered HTTP 400: malformed request");
    assertThat(exporter.export(spans(1)).isSuccess()).isTrue();
    assertThat(collector.connections()).isEqualTo(1);
  }

  @Test
  void aKeptConnectionTheCollectorClosedIsReplacedWithinTheSameExport() {
    assertThat(exporter.export(spans(1)).isSuccess()).isTrue();
    // As a collector does that restarts, or times the connection out while the function is frozen.
    collector.dropConnections();

    CompletableResultCode result = exporter.export(spans(2));

    assertThat(result.isSuccess()).as("%s", result.getFailureThrowable()).isTrue();
    assertThat(collector.connections()).isEqualTo(2);
    assertThat(collector.requests()).extracting(ScriptedCollector.Request::connection).containsExactly(1, 2);
  }

  @Test
  void aConnectionClosedWithoutAnAnswerIsAFailureWhenItWasNew() {
    // Only a kept connection is tried again: on a new one, the collector chose not to answer.
    collector.answer(Answer.closing(""));

    CompletableResultCode result = exporter.export(spans(1));

    assertThat(result.isSuccess()).isFalse();
    assertThat(result.getFailureThrowable())
        .isInstanceOf(IOException.class)
        .hasMessageContaining("closed the connection without answering");
    assertThat(collector.requests()).hasSize(1);
    assertThat(exporter.export(spans(1)).isSuccess()).as("the next export").isTrue();
  }

  @Test
  void anAnswerThatIsNotHttpIsAFailure() {
    collector.answer(Answer.closing("SSH-2.0-OpenSSH_9.6\r\n"));

    CompletableResultCode result = exporter.export(spans(1));

    assertThat(result.getFailureThrowable()).hasMessageContaining("not HTTP/1.x: SSH-2.0-OpenSSH_9.6");
  }

  @Test
  void aTruncatedBodyAfterA2xxIsStillASuccess() {
    // The collector took the spans; only the rest of its answer is lost, with the connection.
    collector.answer(Answer.closing("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this"));

    exportTwice();

    assertThat(collector.connections()).isEqualTo(2);
  }

  @Test
  void configuredHeadersGoBetweenTheUserAgentAndTheContentType() throws IOException {
    OtlpHttpSpanExporter withHeaders =
        new OtlpHttpSpanExporter(
            collector.endpoint(),
            Map.of("User-Agent", "my-function/1.0", "Content-Type", "text/plain", "Host", "elsewhere",
                "Bad Name", "x", "X-Injected", "a\r\nX-Evil: 1", "X-Tenant", "acme"),
            5_000,
            true);

    assertThat(withHeaders.export(spans(1)).isSuccess()).isTrue();

    Map<String, String> headers = collector.requests().get(0).headers();
    assertThat(headers)
        .containsEntry("user-agent", "my-function/1.0")
        .containsEntry("x-tenant", "acme")
        .containsEntry("content-type", "application/x-protobuf")
        .containsEntry("content-encoding", "gzip")
        .containsEntry("host", "127.0.0.1:" + collector.port())
        .doesNotContainKeys("bad name", "x-injected", "x-evil");
    assertThat(headers.get(":order")).isEqualTo("host user-agent x-tenant content-type content-encoding content-length");
    withHeaders.shutdown();
  }
}
