package dev.baton.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The JDK {@link HttpServer} the fixtures' local peers ({@link LocalLambdaRuntime}, {@link
 * OtlpReceiver}) run on: 127.0.0.1, a free port, a cached pool of daemon threads (a handler may
 * park, as a Runtime API's {@code /next} does), and {@code TCP_NODELAY} on its sockets, as the
 * servers these stand in for send. Without it a small response can wait for the client's delayed
 * ACK, about 40 ms per warm invocation on Linux.
 *
 * <p>The JDK reads {@code sun.net.httpserver.nodelay} once per JVM, when its first {@code
 * HttpServer} is created: this class sets it (unless it is set already) before creating any, so it
 * takes effect unless the test created a JDK {@code HttpServer} of its own first.
 */
final class LoopbackHttpServer {

  static final String NODELAY_PROPERTY = "sun.net.httpserver.nodelay";

  static {
    if (System.getProperty(NODELAY_PROPERTY) == null) {
      System.setProperty(NODELAY_PROPERTY, "true");
    }
  }

  private LoopbackHttpServer() {}

  /** A server, not yet started, and the executor it runs its handlers on (shut it down too). */
  static HttpServer create(ExecutorService executor) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    return server;
  }

  /** A cached pool of daemon threads named {@code name}. */
  static ExecutorService executor(String name) {
    return Executors.newCachedThreadPool(runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    });
  }
}
