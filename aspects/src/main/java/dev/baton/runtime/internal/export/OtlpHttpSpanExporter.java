package dev.baton.runtime.internal.export;

import dev.baton.runtime.internal.BatonVersion;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.GZIPOutputStream;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>Exports spans with OTLP over HTTP ({@code http/protobuf}): one synchronous POST per export, on
 * the calling thread, through {@link HttpURLConnection} (the classes the AWS SDK's URL connection
 * client loads anyway; no {@code java.net.http}, no thread of its own). The body is {@link
 * OtlpSpanEncoder}'s, gzipped when configured; the configured headers are sent with it.
 *
 * <p>A 2xx answer is a success; any other status a failure ({@link StatusException}) that names it
 * and starts the answer's body; an {@link IOException} (refused, reset, timed out) a failure with
 * that exception. The answer is read to its end so that the connection stays open for the next
 * invocation. Each export ends by the configured timeout or the deadline the caller gives,
 * whichever comes first, from connect to the answer's last byte: the connect and read timeouts are
 * set to the time left, and {@link ExportDeadlines} cuts the connection if it is still running at
 * the deadline (a collector that drips its answer, or does not read the request). After {@link
 * #shutdown()}, exports fail at once. Every result is returned completed.
 */
public final class OtlpHttpSpanExporter implements SpanExporter {

  private static final String USER_AGENT = "Baton-OTLP-Exporter-Java/" + BatonVersion.VERSION;
  private static final int ERROR_BODY_CHARS = 200;

  private final URL endpoint;
  private final String[] headers;
  private final long timeoutNanos;
  private final boolean gzip;
  private volatile boolean shutdown;

  /**
   * An exporter to {@code endpoint} (the full URL, e.g. {@code http://localhost:4318/v1/traces}).
   *
   * @param headers sent with every export, after Baton's {@code User-Agent} (which they may
   *     replace) and before {@code Content-Type} and {@code Content-Encoding} (which they may not)
   * @param timeoutMillis the longest one export may take, more than 0
   */
  public OtlpHttpSpanExporter(
      URL endpoint, Map<String, String> headers, long timeoutMillis, boolean gzip) {
    if (timeoutMillis <= 0) {
      throw new IllegalArgumentException("timeoutMillis must be more than 0: " + timeoutMillis);
    }
    this.endpoint = endpoint;
    this.headers = new String[headers.size() * 2];
    int i = 0;
    for (Map.Entry<String, String> header : headers.entrySet()) {
      this.headers[i++] = header.getKey();
      this.headers[i++] = header.getValue();
    }
    this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    this.gzip = gzip;
  }

  /** Exports {@code spans}, waiting at most the configured timeout. */
  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    return export(spans, System.nanoTime() + timeoutNanos);
  }

  /**
   * Exports {@code spans}, waiting at most the configured timeout and never past {@code
   * deadlineNanos} (a {@link System#nanoTime()} value).
   */
  CompletableResultCode export(Collection<SpanData> spans, long deadlineNanos) {
    if (shutdown) {
      return CompletableResultCode.ofExceptionalFailure(
          new IllegalStateException("the OTLP exporter was shut down"));
    }
    if (spans.isEmpty()) {
      return CompletableResultCode.ofSuccess();
    }
    long budgetNanos = Math.min(timeoutNanos, deadlineNanos - System.nanoTime());
    if (budgetNanos <= 0) {
      return CompletableResultCode.ofExceptionalFailure(
          new TimeoutException("no time was left to export " + spans.size() + " spans"));
    }
    try {
      byte[] body = OtlpSpanEncoder.encode(spans);
      post(gzip ? gzip(body) : body, budgetNanos);
      return CompletableResultCode.ofSuccess();
    } catch (IOException | RuntimeException failure) {
      return CompletableResultCode.ofExceptionalFailure(failure);
    }
  }

  private void post(byte[] body, long budgetNanos) throws IOException {
    long deadline = System.nanoTime() + budgetNanos;
    // At least 1 ms: 0 would mean no timeout at all.
    int timeoutMillis =
        (int) Math.min(Integer.MAX_VALUE, Math.max(1, TimeUnit.NANOSECONDS.toMillis(budgetNanos)));
    HttpURLConnection connection = (HttpURLConnection) endpoint.openConnection();
    ExportDeadlines.Watch watch = ExportDeadlines.watch(connection, deadline);
    try {
      connection.setConnectTimeout(timeoutMillis);
      connection.setReadTimeout(timeoutMillis);
      connection.setRequestMethod("POST");
      connection.setInstanceFollowRedirects(false);
      connection.setUseCaches(false);
      connection.setDoOutput(true);
      connection.setRequestProperty("User-Agent", USER_AGENT);
      for (int i = 0; i < headers.length; i += 2) {
        connection.setRequestProperty(headers[i], headers[i + 1]);
      }
      connection.setRequestProperty("Content-Type", "application/x-protobuf");
      if (gzip) {
        connection.setRequestProperty("Content-Encoding", "gzip");
      }
      // Not in streaming mode: the JDK then retries a POST once when a kept-alive connection
      // turns out to be closed (as one may be after the function was frozen between invocations).
      try (OutputStream output = connection.getOutputStream()) {
        output.write(body);
      }
      int status = connection.getResponseCode();
      if (status >= 200 && status < 300) {
        try {
          drain(connection.getInputStream());
        } catch (IOException cutOff) {
          // The collector took the spans (2xx); only the rest of its answer is lost.
          connection.disconnect();
        }
        return;
      }
      String answer = start(connection.getErrorStream());
      throw new StatusException(
          status,
          "the OTLP endpoint "
              + endpoint
              + " answered HTTP "
              + status
              + (answer.isEmpty() ? "" : ": " + answer));
    } catch (IOException failure) {
      // Whatever the connection's state, it is not reused.
      connection.disconnect();
      if (watch.expired() || failure instanceof SocketTimeoutException) {
        throw new DeadlineException(
            "the OTLP endpoint "
                + endpoint
                + " did not answer within "
                + TimeUnit.NANOSECONDS.toMillis(budgetNanos)
                + " ms; the export was cut off",
            failure);
      }
      throw failure;
    } finally {
      watch.close();
    }
  }

  /** Reads an answer to its end and closes it, so that its connection can be reused. */
  private static void drain(InputStream answer) throws IOException {
    if (answer != null) {
      try (answer) {
        skipRest(answer);
      }
    }
  }

  /** The start of an error answer as text (control characters as spaces); read to its end. */
  private static String start(InputStream answer) throws IOException {
    if (answer == null) {
      return "";
    }
    byte[] start = new byte[ERROR_BODY_CHARS];
    int length = 0;
    try (answer) {
      int read;
      while (length < start.length
          && (read = answer.read(start, length, start.length - length)) >= 0) {
        length += read;
      }
      skipRest(answer);
    }
    char[] text = new String(start, 0, length, StandardCharsets.UTF_8).toCharArray();
    for (int i = 0; i < text.length; i++) {
      if (Character.isISOControl(text[i])) {
        text[i] = ' ';
      }
    }
    return new String(text).trim();
  }

  private static void skipRest(InputStream answer) throws IOException {
    byte[] buffer = new byte[512];
    while (answer.read(buffer) >= 0) {
      // discarded
    }
  }

  private static byte[] gzip(byte[] body) throws IOException {
    ByteArrayOutputStream compressed = new ByteArrayOutputStream(body.length / 2 + 64);
    try (GZIPOutputStream output = new GZIPOutputStream(compressed)) {
      output.write(body);
    }
    return compressed.toByteArray();
  }

  /** Nothing to flush: every export completes before it returns. */
  @Override
  public CompletableResultCode flush() {
    return CompletableResultCode.ofSuccess();
  }

  /** Makes later exports fail at once. */
  @Override
  public CompletableResultCode shutdown() {
    shutdown = true;
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public String toString() {
    return "OtlpHttpSpanExporter[" + endpoint + (gzip ? ", gzip]" : "]");
  }

  /** The collector answered with a status other than 2xx. */
  static final class StatusException extends IOException {
    private static final long serialVersionUID = 1L;
    private final int status;

    StatusException(int status, String message) {
      super(message);
      this.status = status;
    }

    /** The HTTP status the collector answered with. */
    int status() {
      return status;
    }
  }

  /** The export was cut off at its deadline. */
  static final class DeadlineException extends IOException {
    private static final long serialVersionUID = 1L;

    DeadlineException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
