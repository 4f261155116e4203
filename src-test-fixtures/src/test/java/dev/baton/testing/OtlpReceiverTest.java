package dev.baton.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.sdk.trace.data.SpanData;
import com.google.protobuf.ByteString;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The misbehaving collectors behave as badly as they say, and still see what was sent. */
class OtlpReceiverTest {

  private static byte[] oneSpan(String name) {
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder().addSpans(
            Span.newBuilder()
                .setName(name)
                .setTraceId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}))
                .setSpanId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8})))))
        .build()
        .toByteArray();
  }

  private static HttpURLConnection post(OtlpReceiver receiver, byte[] body) throws Exception {
    return post(receiver, body, 5_000);
  }

  /** A POST sent; the read timeout applies from the connect on, so it is set before. */
  private static HttpURLConnection post(OtlpReceiver receiver, byte[] body, int readTimeoutMillis)
      throws Exception {
    HttpURLConnection connection =
        (HttpURLConnection) new URL(receiver.endpoint() + "/v1/traces").openConnection();
    connection.setReadTimeout(readTimeoutMillis);
    connection.setRequestMethod("POST");
    connection.setDoOutput(true);
    connection.setRequestProperty("Content-Type", "application/x-protobuf");
    try (OutputStream out = connection.getOutputStream()) {
      out.write(body);
    }
    return connection;
  }

  @Test
  void aDrippingCollectorKeepsTheSpansAndAnswersOneByteAtATime() throws Exception {
    try (OtlpReceiver dripping = OtlpReceiver.dripping(Duration.ofMillis(20))) {
      HttpURLConnection connection = post(dripping, oneSpan("dripped"));
      // The status line and headers, some 85 bytes, take at least 1.6 s to arrive.
      long start = System.nanoTime();
      int status = connection.getResponseCode();
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertThat(status).isEqualTo(200);
      assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(1_600));
      assertThat(dripping.requestCount()).isEqualTo(1);
      assertThat(dripping.spans()).extracting(SpanData::getName).containsExactly("dripped");
      connection.disconnect();
    }
  }

  @Test
  void aBodyDrippingCollectorSendsItsHeadersAtOnceAfterItsDelayAndThenDripsTheBody() throws Exception {
    try (OtlpReceiver dripping = OtlpReceiver.drippingBody(Duration.ofMillis(200), Duration.ofMillis(50))) {
      HttpURLConnection connection = post(dripping, oneSpan("body dripped"));
      long start = System.nanoTime();
      int status = connection.getResponseCode();
      Duration headers = Duration.ofNanos(System.nanoTime() - start);
      // The first byte may come with the headers; the next six, 50 ms apart, take 300 ms.
      byte[] firstBytes = connection.getInputStream().readNBytes(7);
      Duration sevenBytes = Duration.ofNanos(System.nanoTime() - start).minus(headers);

      assertThat(status).isEqualTo(200);
      assertThat(connection.getContentLengthLong()).isEqualTo(10_000);
      assertThat(headers).isGreaterThanOrEqualTo(Duration.ofMillis(200));
      // Dripped, the status line and headers (some 85 bytes) would take over 4 s.
      assertThat(headers).isLessThan(Duration.ofSeconds(2));
      assertThat(firstBytes).hasSize(7);
      assertThat(sevenBytes).as("the body, one byte every 50 ms").isGreaterThanOrEqualTo(Duration.ofMillis(250));
      assertThat(dripping.spans()).extracting(SpanData::getName).containsExactly("body dripped");
      connection.disconnect();
    }
  }

  @Test
  void aBodyDrippingCollectorAnswersItsHealthyFirstRequestsAtOnce() throws Exception {
    try (OtlpReceiver dripping = OtlpReceiver.drippingBody(Duration.ZERO, Duration.ofHours(1), 1)) {
      HttpURLConnection healthy = post(dripping, oneSpan("healthy"));
      assertThat(healthy.getResponseCode()).isEqualTo(200);
      try (InputStream in = healthy.getInputStream()) {
        assertThat(in.readAllBytes()).isEmpty();
      }

      HttpURLConnection stalled = post(dripping, oneSpan("stalled"), 300);
      assertThat(stalled.getResponseCode()).isEqualTo(200);
      InputStream body = stalled.getInputStream();
      assertThat(body.read()).as("the body's first byte").isEqualTo(0);
      assertThatThrownBy(body::read).as("and then nothing").isInstanceOf(SocketTimeoutException.class);
      stalled.disconnect();
      assertThat(dripping.spans()).extracting(SpanData::getName).containsExactly("healthy", "stalled");
    }
  }

  @Test
  void aSlowCollectorAnswersAfterItsDelay() throws Exception {
    try (OtlpReceiver slow = OtlpReceiver.slow(Duration.ofMillis(300))) {
      long start = System.nanoTime();
      HttpURLConnection connection = post(slow, oneSpan("slow"));
      assertThat(connection.getResponseCode()).isEqualTo(200);
      try (InputStream in = connection.getInputStream()) {
        in.readAllBytes();
      }

      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
      assertThat(slow.spans()).extracting(SpanData::getName).containsExactly("slow");
    }
  }
}
