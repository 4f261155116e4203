package dev.baton.runtime.internal.export;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>One HTTP/1.1 connection to the collector, on a {@link Socket} of Baton's own, with TLS over
 * it for https, so that {@link ExportDeadlines} can cut it at any moment by closing that socket.
 * It sends a request whole (the caller builds it, with its {@code Content-Length}) and reads the
 * answer: the status line (after any 1xx), the headers, and a body framed by {@code
 * Content-Length}, by chunks, or by the end of the connection. Every read is bounded by the
 * exchange's deadline as well (the socket's read timeout is set to the time left before each
 * read); writes are bounded by the watchdog alone.
 *
 * <p>The connection may serve the next request only when the answer ended cleanly at a message
 * boundary: HTTP/1.1, no {@code Connection: close}, a body framed by length or chunks and read to
 * its end (at most {@value #MAX_DRAINED_BODY} bytes of it), and no byte after it. Then it may stay
 * idle at most the collector's {@code Keep-Alive: timeout} less a second, or else {@value
 * #DEFAULT_IDLE_SECONDS} s.
 *
 * <p>Used by one thread at a time.
 */
final class CollectorConnection {

  static final int DEFAULT_IDLE_SECONDS = 30;
  static final int MAX_DRAINED_BODY = 64 * 1024;
  private static final int MAX_LINE = 8 * 1024;
  private static final int MAX_HEADER_BYTES = 64 * 1024;
  private static final long ONE_SECOND_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final Socket raw;
  private final InputStream in;
  private final OutputStream out;
  private final byte[] buffer = new byte[8192];
  private int position;
  private int limit;

  // The exchange under way.
  private long deadlineNanos;
  private long answerBytes;
  private String doing = "sending the spans";

  // The answer's framing.
  private boolean keepAlive;
  private long idleLimitNanos;
  private Framing framing;
  private long left;
  private boolean chunkDataRead;

  private long idleSinceNanos;
  private boolean closed;

  private enum Framing {
    NONE,
    LENGTH,
    CHUNKED,
    UNTIL_CLOSE
  }

  /**
   * Loads what reading an answer uses beyond this class (the framings, and javac's switch table
   * over them), without a connection: SnapStart priming, before the snapshot.
   */
  static int primeFramings() {
    int kinds = 0;
    for (Framing framing : Framing.values()) {
      switch (framing) {
        case LENGTH, CHUNKED -> kinds += 2;
        default -> kinds++;
      }
    }
    return kinds;
  }

  private CollectorConnection(Socket raw, InputStream in, OutputStream out) {
    this.raw = raw;
    this.in = in;
    this.out = out;
  }

  /**
   * A TCP socket connected to {@code address} by {@code deadlineNanos}, covered by {@code watch}
   * from before the connect. Any proxy the JVM is configured with is not used.
   */
  static Socket connect(InetSocketAddress address, ExportDeadlines.Watch watch, long deadlineNanos)
      throws IOException {
    Socket raw = new Socket(Proxy.NO_PROXY);
    watch.cover(raw);
    try {
      raw.setTcpNoDelay(true);
      raw.connect(address, millisLeft(deadlineNanos));
      return raw;
    } catch (IOException | RuntimeException failure) {
      ExportDeadlines.closeQuietly(raw);
      throw failure;
    }
  }

  /**
   * A connection over the connected socket {@code raw}; with {@code tls}, TLS is negotiated over
   * it for {@code host} by {@code deadlineNanos} (the certificate checked for that name, which is
   * sent as SNI unless it is an IP address). {@code raw} is closed if this fails.
   */
  static CollectorConnection over(Socket raw, String host, SSLSocketFactory tls, long deadlineNanos)
      throws IOException {
    try {
      if (tls == null) {
        return new CollectorConnection(raw, raw.getInputStream(), raw.getOutputStream());
      }
      SSLSocket ssl = (SSLSocket) tls.createSocket(raw, host, raw.getPort(), true);
      SSLParameters parameters = ssl.getSSLParameters();
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
      parameters.setApplicationProtocols(new String[] {"http/1.1"});
      if (!CollectorEndpoint.isIpLiteral(host)) {
        try {
          parameters.setServerNames(List.of(new SNIHostName(host)));
        } catch (IllegalArgumentException notAnSniName) {
          // A name SNI cannot carry (an underscore, say): sent without, as the JDK would.
        }
      }
      ssl.setSSLParameters(parameters);
      raw.setSoTimeout(millisLeft(deadlineNanos));
      ssl.startHandshake();
      return new CollectorConnection(raw, ssl.getInputStream(), ssl.getOutputStream());
    } catch (IOException | RuntimeException failure) {
      ExportDeadlines.closeQuietly(raw);
      throw failure;
    }
  }

  /** The TCP socket, which the watchdog closes. */
  Socket socket() {
    return raw;
  }

  /**
   * Sends {@code request} and reads the answer's status line and headers by {@code
   * deadlineNanos}; returns the status. The body is then {@linkplain #skipBody skipped} or its
   * {@linkplain #bodyStart start read}, by a deadline of its own.
   */
  int send(byte[] request, long deadlineNanos) throws IOException {
    this.deadlineNanos = deadlineNanos;
    answerBytes = 0;
    doing = "sending the spans";
    out.write(request);
    out.flush();
    doing = "waiting for the answer";
    int status;
    String version;
    while (true) {
      String statusLine = readLine();
      if (!statusLine.startsWith("HTTP/1.")
          || statusLine.length() < 12
          || statusLine.charAt(8) != ' ') {
        throw new IOException("the answer is not HTTP/1.x: " + printable(statusLine, 40));
      }
      version = statusLine.substring(0, 8);
      status = parseStatus(statusLine);
      readHeaders(status, version);
      if (status >= 200 || status == 101) {
        break;
      }
      // 100 Continue, 103 Early Hints: the answer follows.
    }
    if (status == 101) {
      throw new IOException("the answer switched protocols (HTTP 101), which was not asked for");
    }
    return status;
  }

  private static int parseStatus(String statusLine) throws IOException {
    int status = 0;
    for (int i = 9; i < 12; i++) {
      char c = statusLine.charAt(i);
      if (c < '0' || c > '9') {
        throw new IOException(
            "the answer's status line is malformed: " + printable(statusLine, 40));
      }
      status = status * 10 + (c - '0');
    }
    if (statusLine.length() > 12 && statusLine.charAt(12) != ' ') {
      throw new IOException(
          "the answer's status line is malformed: " + printable(statusLine, 40));
    }
    return status;
  }

  /** Reads the header fields, and decides the body's framing and whether to keep the connection. */
  private void readHeaders(int status, String version) throws IOException {
    keepAlive = version.equals("HTTP/1.1");
    idleLimitNanos = TimeUnit.SECONDS.toNanos(DEFAULT_IDLE_SECONDS);
    long length = -1;
    boolean badLength = false;
    String transferEncoding = null;
    int headerBytes = 0;
    String line;
    while (!(line = readLine()).isEmpty()) {
      headerBytes += line.length() + 2;
      if (headerBytes > MAX_HEADER_BYTES) {
        throw new IOException(
            "the answer's headers are longer than " + MAX_HEADER_BYTES + " bytes");
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).trim();
      switch (name) {
        case "content-length":
          long parsed = parseLength(value);
          if (parsed < 0 || (length >= 0 && parsed != length)) {
            badLength = true;
          }
          length = parsed;
          break;
        case "transfer-encoding":
          transferEncoding = transferEncoding == null ? value : transferEncoding + ", " + value;
          break;
        case "connection":
          for (String token : value.split(",")) {
            if (token.trim().equalsIgnoreCase("close")) {
              keepAlive = false;
            }
          }
          break;
        case "keep-alive":
          idleLimitNanos = Math.min(idleLimitNanos, keepAliveTimeout(value));
          break;
        default:
          break;
      }
    }
    if (status < 200 || status == 204 || status == 304) {
      framing = Framing.NONE;
      left = 0;
    } else if (transferEncoding != null) {
      String[] codings = transferEncoding.split(",");
      if (codings[codings.length - 1].trim().equalsIgnoreCase("chunked")) {
        framing = Framing.CHUNKED;
        left = 0;
        chunkDataRead = false;
      } else {
        framing = Framing.UNTIL_CLOSE;
        keepAlive = false;
      }
      if (length >= 0) {
        // Both: a message that may have been smuggled; not to be trusted with another.
        keepAlive = false;
      }
    } else if (badLength) {
      throw new IOException("the answer's Content-Length is not valid");
    } else if (length >= 0) {
      framing = Framing.LENGTH;
      left = length;
    } else {
      framing = Framing.UNTIL_CLOSE;
      keepAlive = false;
    }
  }

  private static long parseLength(String value) {
    if (value.isEmpty() || value.length() > 18) {
      return -1;
    }
    long length = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      length = length * 10 + (c - '0');
    }
    return length;
  }

  /** {@code timeout=N} of a {@code Keep-Alive} header, less a second, as nanoseconds. */
  private static long keepAliveTimeout(String value) {
    for (String parameter : value.split(",")) {
      String[] nameValue = parameter.trim().split("=", 2);
      if (nameValue.length == 2 && nameValue[0].trim().equalsIgnoreCase("timeout")) {
        long seconds = parseLength(nameValue[1].trim());
        if (seconds >= 0) {
          long timeout = TimeUnit.SECONDS.toNanos(Math.min(seconds, DEFAULT_IDLE_SECONDS));
          return Math.max(0, timeout - ONE_SECOND_NANOS);
        }
      }
    }
    return Long.MAX_VALUE;
  }

  /**
   * Whether the connection may serve another request once its body is {@linkplain #skipBody
   * skipped}: HTTP/1.1, no {@code Connection: close}, a body framed by length or chunks.
   */
  boolean mayBeKept() {
    return keepAlive && framing != Framing.UNTIL_CLOSE && !closed;
  }

  /**
   * Reads the body to its end by {@code deadlineNanos} and drops it, so that the connection can
   * serve the next request; returns whether it can: false when the body is longer than {@value
   * #MAX_DRAINED_BODY} bytes (not read further) or a byte follows it.
   */
  boolean skipBody(long deadlineNanos) throws IOException {
    if (!mayBeKept()) {
      return false;
    }
    this.deadlineNanos = deadlineNanos;
    if (framing == Framing.LENGTH && left > MAX_DRAINED_BODY) {
      return false;
    }
    byte[] skipped = new byte[512];
    long total = 0;
    int read;
    while ((read = readBody(skipped, 0, skipped.length)) >= 0) {
      total += read;
      if (total > MAX_DRAINED_BODY) {
        return false;
      }
    }
    return position == limit;
  }

  /**
   * The first {@code max} bytes of the body as text (control characters as spaces, trimmed), read
   * by {@code deadlineNanos}; the rest is not read.
   */
  String bodyStart(int max, long deadlineNanos) throws IOException {
    this.deadlineNanos = deadlineNanos;
    byte[] start = new byte[max];
    int length = 0;
    int read;
    while (length < max && (read = readBody(start, length, max - length)) >= 0) {
      length += read;
    }
    return printable(new String(start, 0, length, StandardCharsets.UTF_8), max);
  }

  /** Reads some of the body; -1 at its end. */
  private int readBody(byte[] into, int offset, int length) throws IOException {
    switch (framing) {
      case NONE:
        return -1;
      case LENGTH:
        if (left == 0) {
          framing = Framing.NONE;
          return -1;
        }
        int read = read(into, offset, (int) Math.min(length, left));
        if (read < 0) {
          throw new EOFException(
              "the connection closed " + left + " bytes before the answer's end");
        }
        left -= read;
        return read;
      case CHUNKED:
        if (left == 0) {
          if (chunkDataRead) {
            if (!readLine().isEmpty()) {
              throw new IOException("a chunk of the answer does not end with CRLF");
            }
          }
          long size = chunkSize(readLine());
          if (size == 0) {
            // The last chunk: then trailer fields, up to an empty line.
            int trailerBytes = 0;
            String trailer;
            while (!(trailer = readLine()).isEmpty()) {
              trailerBytes += trailer.length() + 2;
              if (trailerBytes > MAX_HEADER_BYTES) {
                throw new IOException("the answer's trailers are too long");
              }
            }
            framing = Framing.NONE;
            return -1;
          }
          left = size;
          chunkDataRead = true;
        }
        int chunkRead = read(into, offset, (int) Math.min(length, left));
        if (chunkRead < 0) {
          throw new EOFException("the connection closed within a chunk of the answer");
        }
        left -= chunkRead;
        return chunkRead;
      case UNTIL_CLOSE:
      default:
        return read(into, offset, length);
    }
  }

  private static long chunkSize(String line) throws IOException {
    int end = line.indexOf(';');
    String hex = (end < 0 ? line : line.substring(0, end)).trim();
    if (hex.isEmpty() || hex.length() > 15) {
      throw new IOException("a chunk size of the answer is not valid: " + printable(line, 40));
    }
    long size = 0;
    for (int i = 0; i < hex.length(); i++) {
      int digit = Character.digit(hex.charAt(i), 16);
      if (digit < 0) {
        throw new IOException("a chunk size of the answer is not valid: " + printable(line, 40));
      }
      size = size * 16 + digit;
    }
    return size;
  }

  /** A line without its CRLF (or LF), of at most {@value #MAX_LINE} bytes, as ISO-8859-1. */
  private String readLine() throws IOException {
    StringBuilder line = new StringBuilder(64);
    while (true) {
      if (position == limit && fill() < 0) {
        throw new EOFException(
            answerBytes == 0
                ? "the collector closed the connection without answering"
                : "the connection closed before the answer's end");
      }
      byte b = buffer[position++];
      if (b == '\n') {
        int length = line.length();
        if (length > 0 && line.charAt(length - 1) == '\r') {
          line.setLength(length - 1);
        }
        return line.toString();
      }
      if (line.length() >= MAX_LINE) {
        throw new IOException("a line of the answer is longer than " + MAX_LINE + " bytes");
      }
      line.append((char) (b & 0xff));
    }
  }

  private int read(byte[] into, int offset, int length) throws IOException {
    if (position == limit && fill() < 0) {
      return -1;
    }
    int read = Math.min(length, limit - position);
    System.arraycopy(buffer, position, into, offset, read);
    position += read;
    return read;
  }

  /** Reads what arrives into the empty buffer, waiting at most until the deadline. */
  private int fill() throws IOException {
    int read;
    try {
      raw.setSoTimeout(millisLeft(deadlineNanos));
      read = in.read(buffer, 0, buffer.length);
    } catch (IOException | RuntimeException failure) {
      close();
      throw failure;
    }
    position = 0;
    limit = Math.max(0, read);
    if (read > 0) {
      answerBytes += read;
      doing = "reading the answer";
    }
    return read;
  }

  /** Whether any byte of an answer arrived in the exchange under way. */
  boolean answerStarted() {
    return answerBytes > 0;
  }

  /** What the exchange under way was doing, for messages: "sending the spans", say. */
  String doing() {
    return doing;
  }

  /** Marks the connection idle from now, for another request. */
  void idle() {
    idleSinceNanos = System.nanoTime();
  }

  /** Whether it has been idle too long to be used again. */
  boolean idleTooLong(long nowNanos) {
    return nowNanos - idleSinceNanos >= idleLimitNanos;
  }

  /** Closes the connection: the TCP socket (TLS sends no close_notify, which nothing needs). */
  void close() {
    closed = true;
    ExportDeadlines.closeQuietly(raw);
  }

  /** The time left until {@code deadlineNanos} as a socket timeout: at least 1 ms, rounded up. */
  static int millisLeft(long deadlineNanos) throws SocketTimeoutException {
    long left = deadlineNanos - System.nanoTime();
    if (left <= 0) {
      throw new SocketTimeoutException("the export's time ran out");
    }
    return (int) Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(left + 999_999));
  }

  /** {@code text} with control characters as spaces, trimmed, at most {@code max} characters. */
  static String printable(String text, int max) {
    char[] chars = (text.length() > max ? text.substring(0, max) : text).toCharArray();
    for (int i = 0; i < chars.length; i++) {
      if (Character.isISOControl(chars[i])) {
        chars[i] = ' ';
      }
    }
    return new String(chars).trim();
  }
}
