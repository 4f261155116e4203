package dev.baton.runtime.internal.export;

import dev.baton.runtime.internal.BatonVersion;
import dev.baton.runtime.internal.Failures;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.GZIPOutputStream;
import javax.net.ssl.SSLSocketFactory;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>Exports spans with OTLP over HTTP ({@code http/protobuf}): one synchronous POST per export, on
 * the calling thread (any thread: exports may run at once), over HTTP/1.1 on a {@link
 * java.net.Socket} of its own ({@link CollectorConnection}; TLS over it for https, with the JDK's
 * default trust store, the certificate checked for the endpoint's host name, which is sent as
 * SNI). No {@code java.net.http}, no {@code HttpURLConnection} (whose {@code disconnect()} waits
 * for a lock that a thread blocked reading the answer's body holds, so it cannot cut an export
 * off), no thread of its own but the watchdog and the address lookup. The body is {@link
 * OtlpSpanEncoder}'s, gzipped when configured; the configured headers are sent with it.
 *
 * <p>A 2xx answer is a success; any other status a failure ({@link StatusException}) that names it
 * and starts the answer's body; an {@link IOException} (refused, reset, no such host, a TLS
 * failure) a failure with that exception; running out of time a {@link DeadlineException}.
 * Redirects are not followed. The body after the status serves only to keep the connection for
 * the next export (and, after an error status, to name the refusal): it is waited for at most
 * {@value #REST_OF_ANSWER_MILLIS} ms more, within the deadline, and a 2xx whose body does not come
 * in that time is still a success, on a connection that is then closed. So a collector that stalls
 * its bodies costs an export that much, not its whole time.
 *
 * <p><b>The deadline.</b> Each export ends by the configured timeout or the deadline the caller
 * gives, whichever comes first, from looking up the collector's address to the answer's last
 * byte, whatever the collector does (refuses, stalls, drips its status line or its body, does not
 * read the request): the address is looked up off the export's path ({@link CollectorEndpoint}),
 * waited for at most until the deadline; connect and every read are given the time left; and
 * {@link ExportDeadlines} closes the socket if the export is still running at the deadline, which
 * ends a blocked write, a TLS handshake or a dripping read at once.
 *
 * <p><b>Connections.</b> Up to {@value #MAX_IDLE_CONNECTIONS} connections that ended their last
 * answer cleanly are kept for later exports (see {@link CollectorConnection} for when). A kept
 * connection that the collector closed meanwhile (as it may while the function was frozen between
 * invocations) fails before any byte of an answer arrives: the request is then sent once more on a
 * new connection, within the same deadline (a collector that took the spans and closed without
 * answering then sees them twice). {@link #shutdown()} closes them, and makes later exports fail
 * at once.
 *
 * <p><b>Proxies.</b> The exporter connects to the endpoint directly: the JVM's proxy settings
 * ({@code http(s).proxyHost}, {@code socksProxyHost}) are not used, and when one would apply to
 * the endpoint that is reported once. On Lambda the norm is a collector extension in the
 * function's own environment; a collector behind a proxy takes the autoconfigure setup's exporter.
 *
 * <p>Every result is returned completed.
 */
public final class OtlpHttpSpanExporter implements SpanExporter {

  static final int MAX_IDLE_CONNECTIONS = 5;

  /** How long the body of an answer is waited for after its status, within the deadline. */
  public static final long REST_OF_ANSWER_MILLIS = 100;

  private static final long REST_OF_ANSWER_NANOS =
      TimeUnit.MILLISECONDS.toNanos(REST_OF_ANSWER_MILLIS);
  private static final String USER_AGENT = "Baton-OTLP-Exporter-Java/" + BatonVersion.VERSION;
  private static final int ERROR_BODY_CHARS = 200;

  /** Fields Baton writes itself, or that describe the connection: configured ones are dropped. */
  private static final Set<String> OWN_HEADERS =
      Set.of(
          "host",
          "content-type",
          "content-encoding",
          "content-length",
          "transfer-encoding",
          "connection",
          "keep-alive",
          "proxy-connection",
          "te",
          "trailer",
          "upgrade",
          "expect");

  private final URL endpoint;
  private final int port;
  private final CollectorEndpoint collector;
  private final byte[] requestHead;
  private final long timeoutNanos;
  private final boolean gzip;
  private final ArrayDeque<CollectorConnection> idle = new ArrayDeque<>();
  private volatile boolean shutdown;

  /**
   * An exporter to {@code endpoint} (the full {@code http} or {@code https} URL, e.g. {@code
   * http://localhost:4318/v1/traces}).
   *
   * @param headers sent with every export, after Baton's {@code User-Agent} (which they may
   *     replace) and before {@code Content-Type} and {@code Content-Encoding}; one Baton writes
   *     itself ({@code Host}, {@code Content-*}, {@code Connection}, ...) or that is not a valid
   *     header field is left out, and reported once
   * @param timeoutMillis the longest one export may take, more than 0
   */
  public OtlpHttpSpanExporter(
      URL endpoint, Map<String, String> headers, long timeoutMillis, boolean gzip) {
    this(endpoint, headers, timeoutMillis, gzip, CollectorEndpoint.DNS, null);
  }

  /**
   * An exporter that finds the endpoint's address with {@code lookup} and, for https, connects
   * with {@code tlsFactory} (null: the JDK's default); for tests.
   */
  OtlpHttpSpanExporter(
      URL endpoint,
      Map<String, String> headers,
      long timeoutMillis,
      boolean gzip,
      CollectorEndpoint.Lookup lookup,
      SSLSocketFactory tlsFactory) {
    if (timeoutMillis <= 0) {
      throw new IllegalArgumentException("timeoutMillis must be more than 0: " + timeoutMillis);
    }
    String scheme = endpoint.getProtocol().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("not an http or https URL: " + endpoint);
    }
    String host = endpoint.getHost();
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("the URL has no host: " + endpoint);
    }
    boolean tls = scheme.equals("https");
    int defaultPort = tls ? 443 : 80;
    this.endpoint = endpoint;
    this.port = endpoint.getPort() < 0 ? defaultPort : endpoint.getPort();
    this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    this.gzip = gzip;
    this.requestHead =
        requestHead(endpoint, host + (port == defaultPort ? "" : ":" + port), headers, gzip);
    reportProxyNotUsed(endpoint, scheme);
    this.collector = new CollectorEndpoint(host, lookup, tls, tlsFactory);
  }

  /** The request up to its {@code Content-Length}: the same for every export. */
  private static byte[] requestHead(
      URL endpoint, String hostField, Map<String, String> headers, boolean gzip) {
    String target = endpoint.getFile().isEmpty() ? "/" : endpoint.getFile();
    for (int i = 0; i < target.length(); i++) {
      char c = target.charAt(i);
      if (c <= ' ' || c >= 0x7f) {
        throw new IllegalArgumentException("the URL's path is not encoded: " + endpoint);
      }
    }
    String userAgent = USER_AGENT;
    StringBuilder configured = new StringBuilder();
    for (Map.Entry<String, String> header : headers.entrySet()) {
      String name = header.getKey();
      String value = header.getValue().trim();
      String lowerCase = name.toLowerCase(Locale.ROOT);
      if (!isToken(name) || !isFieldValue(value)) {
        Failures.reportInput(
            "an OTLP header that is not a valid HTTP header field",
            "'" + CollectorConnection.printable(name, 40) + "' (its value is not shown)");
      } else if (OWN_HEADERS.contains(lowerCase)) {
        Failures.reportInput(
            "an OTLP header that Baton sets itself", "'" + name + "' is Baton's to write");
      } else if (lowerCase.equals("user-agent")) {
        userAgent = value;
      } else {
        configured.append(name).append(": ").append(value).append("\r\n");
      }
    }
    StringBuilder head = new StringBuilder(256);
    head.append("POST ").append(target).append(" HTTP/1.1\r\n");
    head.append("Host: ").append(hostField).append("\r\n");
    head.append("User-Agent: ").append(userAgent).append("\r\n");
    head.append(configured);
    head.append("Content-Type: application/x-protobuf\r\n");
    if (gzip) {
      head.append("Content-Encoding: gzip\r\n");
    }
    head.append("Content-Length: ");
    return head.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** An RFC 9110 token: what a field name must be. */
  private static boolean isToken(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code value} holds no control character but tab (no CR or LF to end the field). */
  private static boolean isFieldValue(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c < ' ' && c != '\t') || c == 0x7f) {
        return false;
      }
    }
    return true;
  }

  /**
   * Reports once that a proxy the JVM is configured with would apply to the endpoint, and is not
   * used. The default selector is asked only when a proxy is set at all.
   */
  private static void reportProxyNotUsed(URL endpoint, String scheme) {
    try {
      if (System.getProperty(scheme + ".proxyHost") == null
          && System.getProperty("socksProxyHost") == null
          && !Boolean.getBoolean("java.net.useSystemProxies")) {
        return;
      }
      ProxySelector selector = ProxySelector.getDefault();
      if (selector == null) {
        return;
      }
      for (Proxy proxy : selector.select(endpoint.toURI())) {
        if (proxy.type() != Proxy.Type.DIRECT) {
          String at =
              proxy.address() instanceof InetSocketAddress address
                  ? address.getHostString() + ":" + address.getPort()
                  : String.valueOf(proxy.address());
          Failures.reportInput(
              "the JVM's proxy for the OTLP endpoint",
              "Baton's exporter connects to "
                  + endpoint
                  + " directly, not through the "
                  + proxy.type()
                  + " proxy at "
                  + at
                  + "; send spans to a collector in the function's environment (a collector"
                  + " extension), or use the autoconfigure setup's exporter");
          return;
        }
      }
    } catch (URISyntaxException | RuntimeException failure) {
      Failures.report("checking the JVM's proxy settings for the OTLP endpoint", failure);
    }
  }

  /** Exports {@code spans}, waiting at most the configured timeout. */
  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    return export(spans, System.nanoTime() + timeoutNanos);
  }

  /**
   * Exports {@code spans}, waiting at most the configured timeout and never past {@code
   * deadlineNanos} (a {@link System#nanoTime()} value). Any thread may call it, and several at
   * once; the deadline is the caller's alone.
   */
  CompletableResultCode export(Collection<SpanData> spans, long deadlineNanos) {
    if (shutdown) {
      return CompletableResultCode.ofExceptionalFailure(
          new IllegalStateException("the OTLP exporter was shut down"));
    }
    if (spans.isEmpty()) {
      return CompletableResultCode.ofSuccess();
    }
    long start = System.nanoTime();
    long budgetNanos = Math.min(timeoutNanos, deadlineNanos - start);
    if (budgetNanos <= 0) {
      return CompletableResultCode.ofExceptionalFailure(
          new TimeoutException("no time was left to export " + spans.size() + " spans"));
    }
    try {
      byte[] body = OtlpSpanEncoder.encode(spans);
      post(request(gzip ? gzip(body) : body), start + budgetNanos, budgetNanos);
      return CompletableResultCode.ofSuccess();
    } catch (IOException | RuntimeException failure) {
      return CompletableResultCode.ofExceptionalFailure(failure);
    }
  }

  /**
   * Goes through an export of {@code spans} up to the socket, sending nothing: encodes them,
   * builds the request, and sets up and closes a deadline's watch, so that the classes of the
   * export path are loaded and warm (SnapStart priming, before the snapshot). No connection is
   * opened: the collector may not be reachable during init, and a connection would not survive
   * the snapshot.
   */
  void prime(Collection<SpanData> spans) {
    try {
      byte[] body = OtlpSpanEncoder.encode(spans);
      byte[] request = request(gzip ? gzip(body) : body);
      long deadline = System.nanoTime() + timeoutNanos;
      ExportDeadlines.Watch watch = ExportDeadlines.watch(deadline);
      watch.close();
      CollectorConnection.millisLeft(deadline);
      CollectorConnection.primeFramings();
      if (request.length == 0) {
        throw new IllegalStateException("an empty request");
      }
      CompletableResultCode.ofSuccess();
    } catch (IOException | RuntimeException failure) {
      Failures.report("priming the OTLP export", failure);
    }
  }

  /** The whole request, in one array: one write, one TLS record where it fits. */
  private byte[] request(byte[] body) {
    byte[] length = (body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    byte[] request = new byte[requestHead.length + length.length + body.length];
    System.arraycopy(requestHead, 0, request, 0, requestHead.length);
    System.arraycopy(length, 0, request, requestHead.length, length.length);
    System.arraycopy(body, 0, request, requestHead.length + length.length, body.length);
    return request;
  }

  private void post(byte[] request, long deadline, long budgetNanos) throws IOException {
    String doing = "connecting";
    ExportDeadlines.Watch watch = ExportDeadlines.watch(deadline);
    try {
      CollectorConnection connection = takeIdle();
      boolean kept = connection != null;
      while (true) {
        if (connection == null) {
          connection = open(watch, deadline);
        } else {
          watch.cover(connection.socket());
        }
        int status;
        try {
          status = connection.send(request, deadline);
        } catch (IOException failure) {
          doing = connection.doing();
          connection.close();
          if (kept
              && !connection.answerStarted()
              && !(failure instanceof SocketTimeoutException)
              && !watch.expired()
              && deadline - System.nanoTime() > 0) {
            // A kept connection the collector had closed: once more, on a new one.
            kept = false;
            connection = null;
            continue;
          }
          throw failure;
        }
        // The rest serves only to keep the connection (and to name a refusal): a body that is
        // slow to come is not waited for long, so that a collector that stalls it does not hold
        // every export to its deadline.
        long restDeadline = Math.min(deadline, System.nanoTime() + REST_OF_ANSWER_NANOS);
        if (status >= 200 && status < 300) {
          finish(connection, watch, restDeadline);
          return;
        }
        String answer = "";
        try {
          answer = connection.bodyStart(ERROR_BODY_CHARS, restDeadline);
        } catch (IOException cutOff) {
          // The status says it all; the connection is not kept.
          connection.close();
        }
        finish(connection, watch, restDeadline);
        throw new StatusException(
            status,
            "the OTLP endpoint "
                + endpoint
                + " answered HTTP "
                + status
                + (answer.isEmpty() ? "" : ": " + answer));
      }
    } catch (StatusException failure) {
      throw failure;
    } catch (IOException failure) {
      if (failure instanceof Step step) {
        doing = step.doing;
        failure = (IOException) step.getCause();
      }
      if (watch.expired()
          || failure instanceof SocketTimeoutException
          || deadline - System.nanoTime() <= 0) {
        throw new DeadlineException(
            "the OTLP endpoint "
                + endpoint
                + " did not answer within "
                + TimeUnit.NANOSECONDS.toMillis(budgetNanos + 500_000)
                + " ms; the export was cut off while "
                + doing,
            failure);
      }
      throw failure;
    } finally {
      watch.close();
    }
  }

  /**
   * A new connection: the address and the TLS socket factory (each waited for by the deadline),
   * the connect, the TLS handshake.
   */
  private CollectorConnection open(ExportDeadlines.Watch watch, long deadline) throws IOException {
    InetAddress address;
    SSLSocketFactory tls;
    try {
      address = collector.address(deadline);
    } catch (IOException failure) {
      throw new Step("looking up the collector's address", failure);
    }
    try {
      tls = collector.tlsFactory(deadline);
    } catch (IOException failure) {
      throw new Step("setting up TLS", failure);
    }
    Socket raw;
    try {
      raw = CollectorConnection.connect(new InetSocketAddress(address, port), watch, deadline);
    } catch (IOException failure) {
      collector.connectFailed(address);
      throw new Step("connecting", failure);
    }
    try {
      return CollectorConnection.over(raw, collector.host(), tls, deadline);
    } catch (IOException failure) {
      throw new Step("negotiating TLS", failure);
    }
  }

  /**
   * After an answer: keeps the connection when its body can be skipped to a clean end by {@code
   * restDeadline} and the watchdog did not cut it; closes it otherwise.
   */
  private void finish(
      CollectorConnection connection, ExportDeadlines.Watch watch, long restDeadline) {
    boolean keep;
    try {
      keep = connection.mayBeKept() && connection.skipBody(restDeadline);
    } catch (IOException cutOff) {
      keep = false;
    }
    if (keep && watch.uncover()) {
      connection.idle();
      synchronized (idle) {
        if (!shutdown && idle.size() < MAX_IDLE_CONNECTIONS) {
          idle.push(connection);
          return;
        }
      }
    }
    connection.close();
  }

  /** The connection used last, if it has not been idle too long; closes those that have. */
  private CollectorConnection takeIdle() {
    long now = System.nanoTime();
    synchronized (idle) {
      CollectorConnection connection;
      while ((connection = idle.poll()) != null) {
        if (!connection.idleTooLong(now)) {
          return connection;
        }
        connection.close();
      }
      return null;
    }
  }

  /** A failure in one step of opening a connection, which says what the export was doing. */
  private static final class Step extends IOException {
    private static final long serialVersionUID = 1L;
    private final String doing;

    Step(String doing, IOException cause) {
      super(cause.getMessage(), cause);
      this.doing = doing;
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

  /** Closes the kept connections, and makes later exports fail at once. */
  @Override
  public CompletableResultCode shutdown() {
    synchronized (idle) {
      shutdown = true;
      CollectorConnection connection;
      while ((connection = idle.poll()) != null) {
        connection.close();
      }
    }
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
