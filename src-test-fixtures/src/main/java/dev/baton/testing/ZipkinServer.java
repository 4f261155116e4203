package dev.baton.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Zipkin for tests: the {@code io.zipkin:zipkin-server} exec jar (in-memory storage) in a
 * JVM of its own, listening on 127.0.0.1 only, on a free port below the system's ephemeral range
 * (so that no port-0 bind takes it while Zipkin starts). The build fetches the jar with
 * {@code maven-dependency-plugin:copy}; system property {@code baton.zipkin.jar} names it. Starts
 * in 4-10 seconds, waited for through {@code /health}.
 *
 * <pre>{@code
 * try (ZipkinServer zipkin = ZipkinServer.start()) {
 *   // -Dotel.traces.exporter=zipkin -Dotel.exporter.zipkin.endpoint=<zipkin.spansEndpoint()>
 *   String traceJson = zipkin.get("/api/v2/trace/" + traceId);
 * }
 * }</pre>
 */
public final class ZipkinServer implements AutoCloseable {

  private static final Duration STARTUP = Duration.ofSeconds(90);

  private final Process process;
  private final URI endpoint;
  private final Path output;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();

  private ZipkinServer(Process process, URI endpoint, Path output) {
    this.process = process;
    this.endpoint = endpoint;
    this.output = output;
  }

  /** Starts the jar that {@code baton.zipkin.jar} names, and waits until it is healthy. */
  public static ZipkinServer start() throws IOException, InterruptedException {
    ZipkinServer server = launch();
    try {
      server.awaitHealthy();
      return server;
    } catch (RuntimeException | IOException | InterruptedException e) {
      server.close();
      throw e;
    }
  }

  /**
   * Starts the jar that {@code baton.zipkin.jar} names and returns at once, its port known: start
   * other things meanwhile, then call {@link #awaitHealthy()} before sending spans.
   */
  public static ZipkinServer launch() throws IOException {
    String jar = System.getProperty("baton.zipkin.jar");
    if (jar == null || !Files.isRegularFile(Paths.get(jar))) {
      throw new IllegalStateException(
          "no Zipkin server jar: set baton.zipkin.jar to io.zipkin:zipkin-server:<version>:exec (was " + jar + ")");
    }
    return launch(Paths.get(jar));
  }

  private static ZipkinServer launch(Path jar) throws IOException {
    int port = portAwayFromEphemeral();
    Path output = Files.createTempFile("zipkin-server-", ".log");
    Process process =
        new ProcessBuilder(
                List.of(
                    Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:TieredStopAtLevel=1",
                    "-XX:+UseSerialGC",
                    "-Xss512k",
                    "-jar",
                    jar.toString(),
                    "--armeria.ports[0].ip=127.0.0.1",
                    "--armeria.ports[0].port=" + port,
                    "--armeria.ports[0].protocols[0]=http",
                    "--logging.level.root=WARN"))
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    return new ZipkinServer(process, URI.create("http://127.0.0.1:" + port), output);
  }

  /**
   * A free port on 127.0.0.1 below the system's ephemeral range. Zipkin binds its port seconds
   * after it is chosen, while the test starts other servers; a port from the ephemeral range (what
   * binding port 0 gives) could meanwhile go to one of them, or to any outgoing connection, and
   * Zipkin would fail with "Address already in use". The kernel never hands out a port below the
   * range by itself. Falls back to any free port when the range cannot be read (not Linux).
   */
  static int portAwayFromEphemeral() {
    int low = ephemeralRangeStart();
    int first = 10_000;
    if (low - first < 1_000) {
      return ElasticMqServer.freePort();
    }
    java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
    for (int attempt = 0; attempt < 50; attempt++) {
      int port = random.nextInt(first, low);
      try (java.net.ServerSocket socket =
          new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
        return socket.getLocalPort();
      } catch (IOException taken) {
        // try another
      }
    }
    return ElasticMqServer.freePort();
  }

  /** The first port of Linux's ephemeral range, or 0 when it cannot be read. */
  private static int ephemeralRangeStart() {
    try {
      String range = Files.readString(Paths.get("/proc/sys/net/ipv4/ip_local_port_range")).trim();
      return Integer.parseInt(range.split("\\s+")[0]);
    } catch (IOException | RuntimeException notLinux) {
      return 0;
    }
  }

  /** Waits until Zipkin answers {@code /health} with UP (at most 90 s), or fails with its output. */
  public void awaitHealthy() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + STARTUP.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("Zipkin exited with " + process.exitValue() + ":\n" + tail());
      }
      try {
        HttpResponse<String> health =
            http.send(request("/health"), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (health.statusCode() == 200 && health.body().contains("UP")) {
          return;
        }
      } catch (ConnectException notYet) {
        // still starting
      }
      process.waitFor(200, TimeUnit.MILLISECONDS);
    }
    throw new IllegalStateException("Zipkin was not healthy within " + STARTUP + ":\n" + tail());
  }

  /** {@code http://127.0.0.1:<port>} */
  public URI endpoint() {
    return endpoint;
  }

  /** The collector endpoint, {@code .../api/v2/spans}: the value for {@code otel.exporter.zipkin.endpoint}. */
  public String spansEndpoint() {
    return endpoint + "/api/v2/spans";
  }

  /**
   * The body of {@code GET <path>} (such as {@code /api/v2/trace/<id>}), or {@code null} when
   * Zipkin answers 404.
   */
  public String get(String path) {
    try {
      HttpResponse<String> response =
          http.send(request(path), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      if (response.statusCode() == 404) {
        return null;
      }
      if (response.statusCode() != 200) {
        throw new IllegalStateException("Zipkin answered " + response.statusCode() + " to " + path + ": " + response.body());
      }
      return response.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private HttpRequest request(String path) {
    return HttpRequest.newBuilder(endpoint.resolve(path)).timeout(Duration.ofSeconds(10)).GET().build();
  }

  private String tail() {
    try {
      String text = Files.readString(output, StandardCharsets.UTF_8);
      return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
    } catch (IOException e) {
      return "(output unreadable: " + e + ")";
    }
  }

  /** Stops Zipkin. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
