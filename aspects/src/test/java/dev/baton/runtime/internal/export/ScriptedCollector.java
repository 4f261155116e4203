package dev.baton.runtime.internal.export;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * A collector on a raw server socket (127.0.0.1, a free port) that answers each request with the
 * next of the answers it was given, byte for byte, so that tests can send what the JDK's
 * HttpServer never would: chunked or unframed bodies, {@code 100 Continue}, {@code Connection:
 * close}, garbage after a body, a connection closed while kept alive. With {@link #tls()} it
 * speaks TLS with a self-signed certificate for {@code localhost} ({@code tls/collector.p12}, made
 * for these tests with {@code keytool -genkeypair -keyalg EC -dname CN=localhost -ext
 * SAN=dns:localhost}), which {@link #trustingFactory()} trusts and nothing else does.
 */
final class ScriptedCollector implements AutoCloseable {

  static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
  private static final char[] PASSWORD = "baton-test".toCharArray();

  /** One answer: its bytes, and whether the collector closes the connection after them. */
  record Answer(String bytes, boolean thenClose) {
    static Answer of(String bytes) {
      return new Answer(bytes, false);
    }

    static Answer closing(String bytes) {
      return new Answer(bytes, true);
    }
  }

  /** A request as received, on the {@code connection}-th connection (from 1). */
  record Request(String line, Map<String, String> headers, byte[] body, int connection) {}

  private final ServerSocket server;
  private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final List<String> serverNames = new CopyOnWriteArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();
  private volatile boolean silent;

  private ScriptedCollector(ServerSocket server) {
    this.server = server;
    Thread acceptor = new Thread(this::acceptAll, "scripted-collector");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** A plain HTTP collector. */
  static ScriptedCollector start() throws IOException {
    return new ScriptedCollector(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
  }

  /** An https collector with the test certificate for {@code localhost}. */
  static ScriptedCollector tls() throws Exception {
    KeyStore keys = keyStore("tls/collector.p12");
    KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keyManagers.init(keys, PASSWORD);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keyManagers.getKeyManagers(), null, null);
    SSLServerSocket server =
        (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
    return new ScriptedCollector(server);
  }

  /** A socket factory that trusts the test certificate only. */
  static SSLSocketFactory trustingFactory() throws Exception {
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(keyStore("tls/trust.p12"));
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context.getSocketFactory();
  }

  private static KeyStore keyStore(String resource) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = ScriptedCollector.class.getClassLoader().getResourceAsStream(resource)) {
      store.load(in, PASSWORD);
    }
    return store;
  }

  /** Answers the next requests with these, in order; then with {@link #OK}. */
  ScriptedCollector answer(Answer... next) {
    answers.addAll(List.of(next));
    return this;
  }

  /** Reads whatever new connections send (a request, a TLS ClientHello) and never answers. */
  void silent() {
    silent = true;
  }

  int port() {
    return server.getLocalPort();
  }

  /** {@code http(s)://<host>:<port>/v1/traces}. */
  URL endpoint(String host) throws IOException {
    String scheme = server instanceof SSLServerSocket ? "https" : "http";
    return URI.create(scheme + "://" + host + ":" + port() + "/v1/traces").toURL();
  }

  URL endpoint() throws IOException {
    return endpoint("127.0.0.1");
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  /** How many connections were accepted. */
  int connections() {
    return connections.get();
  }

  /** The SNI host names TLS clients sent. */
  List<String> serverNames() {
    return List.copyOf(serverNames);
  }

  /** Closes every connection the collector holds, as a collector that restarts does. */
  void dropConnections() {
    for (Socket socket : sockets) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    dropConnections();
  }

  private void acceptAll() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        sockets.add(socket);
        int number = connections.incrementAndGet();
        Thread serving = new Thread(() -> serve(socket, number), "scripted-collector-" + number);
        serving.setDaemon(true);
        serving.start();
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void serve(Socket socket, int number) {
    try (socket) {
      if (socket instanceof SSLSocket ssl) {
        ssl.startHandshake();
        for (SNIServerName name : ((ExtendedSSLSession) ssl.getSession()).getRequestedServerNames()) {
          if (name instanceof SNIHostName host) {
            serverNames.add(host.getAsciiName());
          }
        }
      }
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      if (silent) {
        in.transferTo(OutputStream.nullOutputStream());
        return;
      }
      while (true) {
        Request request = read(in, number);
        if (request == null) {
          return;
        }
        requests.add(request);
        Answer answer = answers.poll();
        if (answer == null) {
          answer = Answer.of(OK);
        }
        out.write(answer.bytes().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        if (answer.thenClose()) {
          return;
        }
      }
    } catch (IOException | RuntimeException hungUp) {
      // the client hung up, or the collector is closing
    }
  }

  private static Request read(InputStream in, int connection) throws IOException {
    String line = line(in);
    if (line == null) {
      return null;
    }
    Map<String, String> headers = new LinkedHashMap<>();
    List<String> names = new ArrayList<>();
    String header;
    while ((header = line(in)) != null && !header.isEmpty()) {
      int colon = header.indexOf(':');
      String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      names.add(name);
      headers.merge(name, header.substring(colon + 1).trim(), (a, b) -> a + "," + b);
    }
    byte[] body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
    headers.put(":order", String.join(" ", names));
    return new Request(line, headers, body, connection);
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      if (b == '\n') {
        String text = line.toString(StandardCharsets.UTF_8);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
      }
      line.write(b);
    }
    return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
  }
}
