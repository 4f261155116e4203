package dev.baton.runtime.internal.lambda;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>The two calls of Lambda's Extensions API ({@code /2020-01-01/extension/}, at {@code
 * AWS_LAMBDA_RUNTIME_API}) that Baton's internal extension makes: {@link #register} and {@link
 * #next}. Plain HTTP/1.1 over a socket of its own, one connection per call ({@code Connection:
 * close}), so that it loads few classes and holds no state a freeze or a SnapStart restore could
 * spoil. The answer's body is framed by {@code Content-Length}, by chunks or by the end of the
 * connection.
 */
final class ExtensionsApiClient {

  static final String BASE = "/2020-01-01/extension/";
  static final String NAME_HEADER = "Lambda-Extension-Name";
  static final String IDENTIFIER_HEADER = "Lambda-Extension-Identifier";
  static final String REGISTER_BODY = "{\"events\":[\"INVOKE\"]}";

  private static final int MAX_BODY = 1 << 20;
  private static final int MAX_LINE = 16 * 1024;

  private final String host;
  private final int port;

  private ExtensionsApiClient(String host, int port) {
    this.host = host;
    this.port = port;
  }

  /** The client for {@code runtimeApi} ({@code host:port}), or null when that is not one. */
  static ExtensionsApiClient of(String runtimeApi) {
    if (runtimeApi == null) {
      return null;
    }
    String address = runtimeApi.trim();
    int colon = address.lastIndexOf(':');
    if (colon <= 0 || colon == address.length() - 1) {
      return null;
    }
    try {
      int port = Integer.parseInt(address.substring(colon + 1));
      String host = address.substring(0, colon);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      return port > 0 && port < 65_536 ? new ExtensionsApiClient(host, port) : null;
    } catch (NumberFormatException notAPort) {
      return null;
    }
  }

  /** The Host header's value: {@code host:port}, an IPv6 address in brackets. */
  private String authority() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  /** A refusal: Lambda answered with a status other than the one expected. */
  static final class Refused extends IOException {
    final int status;

    Refused(String what, int status, String body) {
      super(what + " answered " + status + (body == null || body.isBlank() ? "" : ": " + oneLine(body)));
      this.status = status;
    }
  }

  /**
   * Registers an internal extension named {@code name} for {@code INVOKE} events, waiting at most
   * {@code timeoutMillis} for each step; returns its {@value #IDENTIFIER_HEADER}.
   *
   * @throws Refused when Lambda refused (403 once registration closed, say)
   */
  String register(String name, int timeoutMillis) throws IOException {
    byte[] body = REGISTER_BODY.getBytes(StandardCharsets.UTF_8);
    String head =
        "POST " + BASE + "register HTTP/1.1\r\n"
            + "Host: " + authority() + "\r\n"
            + NAME_HEADER + ": " + name + "\r\n"
            + "Content-Type: application/json\r\n"
            + "Content-Length: " + body.length + "\r\n"
            + "Connection: close\r\n\r\n";
    Answer answer = exchange(head, body, timeoutMillis);
    if (answer.status != 200) {
      throw new Refused("registering the extension", answer.status, answer.body);
    }
    if (answer.identifier == null || answer.identifier.isEmpty()) {
      throw new IOException("the registration answered no " + IDENTIFIER_HEADER);
    }
    return answer.identifier;
  }

  /** Asks for the next event and waits for it as long as it takes; its JSON. */
  String next(String identifier) throws IOException {
    String head =
        "GET " + BASE + "event/next HTTP/1.1\r\n"
            + "Host: " + authority() + "\r\n"
            + IDENTIFIER_HEADER + ": " + identifier + "\r\n"
            + "Connection: close\r\n\r\n";
    Answer answer = exchange(head, null, 0);
    if (answer.status != 200) {
      throw new Refused("asking for the next event", answer.status, answer.body);
    }
    return answer.body;
  }

  /** What an exchange answered. */
  private static final class Answer {
    int status;
    String identifier;
    String body;
  }

  /** Sends one request and reads its answer; {@code timeoutMillis} 0 waits as long as it takes. */
  private Answer exchange(String head, byte[] body, int timeoutMillis) throws IOException {
    try (Socket socket = new Socket()) {
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(host, port), timeoutMillis == 0 ? 10_000 : timeoutMillis);
      socket.setSoTimeout(timeoutMillis);
      OutputStream out = socket.getOutputStream();
      out.write(head.getBytes(StandardCharsets.ISO_8859_1));
      if (body != null) {
        out.write(body);
      }
      out.flush();
      InputStream in = new BufferedInputStream(socket.getInputStream());
      Answer answer = new Answer();
      String statusLine;
      do {
        statusLine = readLine(in);
        answer.status = status(statusLine);
        long length = -1;
        boolean chunked = false;
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
          int colon = line.indexOf(':');
          if (colon <= 0) {
            continue;
          }
          String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
          String value = line.substring(colon + 1).trim();
          if (name.equals("content-length")) {
            length = Long.parseLong(value);
          } else if (name.equals("transfer-encoding")) {
            chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
          } else if (name.equals(IDENTIFIER_HEADER.toLowerCase(Locale.ROOT))) {
            answer.identifier = value;
          }
        }
        if (answer.status >= 200) {
          answer.body = new String(readBody(in, length, chunked), StandardCharsets.UTF_8);
        }
      } while (answer.status < 200);
      return answer;
    }
  }

  private static int status(String statusLine) throws IOException {
    // HTTP/1.1 200 OK
    int space = statusLine.indexOf(' ');
    if (!statusLine.startsWith("HTTP/") || space < 0 || statusLine.length() < space + 4) {
      throw new IOException("not an HTTP answer: " + printable(statusLine));
    }
    try {
      return Integer.parseInt(statusLine.substring(space + 1, space + 4));
    } catch (NumberFormatException notAStatus) {
      throw new IOException("not an HTTP status line: " + printable(statusLine));
    }
  }

  private static byte[] readBody(InputStream in, long length, boolean chunked) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    if (chunked) {
      while (true) {
        String sizeLine = readLine(in);
        int extension = sizeLine.indexOf(';');
        long size =
            Long.parseLong((extension < 0 ? sizeLine : sizeLine.substring(0, extension)).trim(), 16);
        if (size == 0) {
          for (String trailer = readLine(in); !trailer.isEmpty(); trailer = readLine(in)) {
            // trailers are not needed
          }
          return body.toByteArray();
        }
        copy(in, body, size);
        readLine(in);
      }
    }
    if (length >= 0) {
      copy(in, body, length);
      return body.toByteArray();
    }
    copy(in, body, -1);
    return body.toByteArray();
  }

  /** Copies {@code length} bytes ({@code -1}: up to the end of the stream), at most {@link #MAX_BODY}. */
  private static void copy(InputStream in, ByteArrayOutputStream into, long length) throws IOException {
    byte[] buffer = new byte[8192];
    long left = length;
    while (left != 0) {
      int wanted = left < 0 ? buffer.length : (int) Math.min(buffer.length, left);
      int read = in.read(buffer, 0, wanted);
      if (read < 0) {
        if (left < 0) {
          return;
        }
        throw new IOException("the answer ended " + left + " bytes early");
      }
      if (into.size() + read > MAX_BODY) {
        throw new IOException("an answer larger than " + MAX_BODY + " bytes");
      }
      into.write(buffer, 0, read);
      if (left > 0) {
        left -= read;
      }
    }
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("the connection closed in the middle of the answer");
      }
      if (b == '\n') {
        int end = line.length();
        if (end > 0 && line.charAt(end - 1) == '\r') {
          line.setLength(end - 1);
        }
        return line.toString();
      }
      if (line.length() >= MAX_LINE) {
        throw new IOException("an answer line longer than " + MAX_LINE + " bytes");
      }
      line.append((char) b);
    }
  }

  /** {@code text} on one line, shortened: for messages. */
  private static String oneLine(String text) {
    return printable(text.strip().replace('\r', ' ').replace('\n', ' '));
  }

  private static String printable(String text) {
    return text.length() > 200 ? text.substring(0, 200) + "..." : text;
  }

  // ------------------------------------------------------------------------------ the event

  /** {@code "requestId"} of an event's JSON, or null. */
  static String requestId(String eventJson) {
    return stringField(eventJson, "requestId");
  }

  /** {@code "eventType"} of an event's JSON, or null. */
  static String eventType(String eventJson) {
    return stringField(eventJson, "eventType");
  }

  /** {@code "deadlineMs"} of an event's JSON (epoch milliseconds), or 0 when absent. */
  static long deadlineMs(String eventJson) {
    int at = valueStart(eventJson, "deadlineMs");
    if (at < 0) {
      return 0;
    }
    int end = at;
    while (end < eventJson.length()
        && (Character.isDigit(eventJson.charAt(end)) || eventJson.charAt(end) == '-')) {
      end++;
    }
    try {
      return end == at ? 0 : Long.parseLong(eventJson.substring(at, end));
    } catch (NumberFormatException notANumber) {
      return 0;
    }
  }

  private static String stringField(String json, String name) {
    int at = valueStart(json, name);
    if (at < 0 || at >= json.length() || json.charAt(at) != '"') {
      return null;
    }
    StringBuilder value = new StringBuilder();
    for (int i = at + 1; i < json.length(); i++) {
      char c = json.charAt(i);
      if (c == '"') {
        return value.toString();
      }
      if (c == '\\' && i + 1 < json.length()) {
        char escaped = json.charAt(++i);
        if (escaped == 'u' && i + 4 < json.length()) {
          value.append((char) Integer.parseInt(json.substring(i + 1, i + 5), 16));
          i += 4;
        } else {
          value.append(escaped == 'n' ? '\n' : escaped == 't' ? '\t' : escaped);
        }
      } else {
        value.append(c);
      }
    }
    return null;
  }

  /** Where the value of the top-level-looking field {@code name} starts, or -1. */
  private static int valueStart(String json, String name) {
    if (json == null) {
      return -1;
    }
    String key = "\"" + name + "\"";
    int from = 0;
    while (true) {
      int at = json.indexOf(key, from);
      if (at < 0) {
        return -1;
      }
      int i = at + key.length();
      while (i < json.length() && Character.isWhitespace(json.charAt(i))) {
        i++;
      }
      if (i < json.length() && json.charAt(i) == ':') {
        i++;
        while (i < json.length() && Character.isWhitespace(json.charAt(i))) {
          i++;
        }
        return i;
      }
      from = at + key.length();
    }
  }
}
