package dev.baton.benchmarks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What a caller waits for per warm invocation, untraced and traced both ways. Each of {@link
 * #VARIANTS} runs as one function JVM, started as for a cold start (the real runtime client,
 * Lambda's JVM settings) against a Runtime API of its own in the harness, and all of them are
 * invoked in rounds: each round invokes every variant once, one at a time, in an order rotated from
 * round to round, so that drift on the machine falls on all alike and a round's invocations make a
 * pair with untraced's. An invocation is timed at the Runtime API, from just before it answers
 * {@code next} with the event to the moment it has received the function's {@code response}: the
 * function's whole part of the caller's wait, the export before the response included (OTLP/HTTP to
 * the receiver, which answers at once, or UDP to the X-Ray daemon stand-in). The first rounds warm
 * up (the very first is each function's cold start) and are not counted; before each invocation
 * the harness waits {@value #PAUSE_MILLIS} ms, so that it starts on a quiet machine (the receiver
 * and the daemon stand-in done with the last export), as most invocations of a function do.
 *
 * <p>Besides untraced and Baton's export routes and placements (OTLP/HTTP after and before the
 * response, X-Ray before it, as by default, and from the extension after it), the rounds invoke
 * Baton under a head sampler that drops every invocation, recording the dropped spans (the default:
 * failed invocations are always exported) and not ({@code BATON_ALWAYS_SAMPLE_ERRORS=false}, with
 * and without the extension): what recording costs a successful invocation, and what the extension
 * costs with nothing to export, are paired differences ({@link #pairedDifference}).
 *
 * <p>The harness JVM must run with {@code -Dsun.net.httpserver.nodelay=true} (the JDK reads it once,
 * when the first {@code HttpServer} is created): Lambda's Runtime API answers with {@code
 * TCP_NODELAY}, and without it a delayed ACK adds about 40 ms to every invocation.
 */
final class WarmLatency {

  static final List<Variant> VARIANTS = selected(List.of(Variant.UNTRACED, Variant.BATON, Variant.BATON_XRAY,
      Variant.BATON_XRAY_AFTER_RESPONSE, Variant.BATON_BEFORE_RESPONSE, Variant.BATON_DROPPED_RECORD_ONLY,
      Variant.BATON_DROPPED_PLAIN, Variant.BATON_DROPPED_PLAIN_BEFORE_RESPONSE));

  /** {@code -Dbaton.benchmarks.warm.variants=untraced,baton_xray,...} for a quick look at a few (untraced first). */
  private static List<Variant> selected(List<Variant> all) {
    String keys = System.getProperty("baton.benchmarks.warm.variants");
    if (keys == null || keys.isBlank()) {
      return all;
    }
    List<Variant> chosen = new ArrayList<>();
    for (String key : keys.split(",")) {
      for (Variant variant : Variant.values()) {
        if (variant.key.equals(key.trim())) {
          chosen.add(variant);
        }
      }
    }
    return List.copyOf(chosen);
  }
  /**
   * The pause before each invocation, in ms: {@value #PAUSE_MILLIS}, or the system property
   * {@code baton.benchmarks.warm.pause} for a quick look (0: back to back, caches warm).
   */
  static final long PAUSE_MILLIS = 10;

  private static final long PAUSE = Long.getLong("baton.benchmarks.warm.pause", PAUSE_MILLIS);
  static final String NODELAY_PROPERTY = "sun.net.httpserver.nodelay";

  /**
   * What one variant measured.
   *
   * @param millis the measured invocations' latency, ms
   * @param p90 its 90th percentile (nearest rank), ms
   * @param addedMillis the median, over the rounds, of this variant's latency minus untraced's in
   *     the same round (0 for untraced)
   * @param spansPerInvocation the spans received from all its invocations (warm-up included),
   *     divided by their number
   * @param series the measured invocations' latency, ms, in the order of the rounds
   */
  record Result(Stats millis, double p90, double addedMillis, double spansPerInvocation, List<Double> series) {}

  /**
   * How much slower {@code variant} was than {@code baseline}: the median, over the rounds, of the
   * difference of their invocations in the same round, with its 95% confidence interval.
   */
  record Difference(double median, double low, double high) {}

  private WarmLatency() {}

  /** {@code variant} minus {@code baseline}, round by round; see {@link Difference}. */
  static Difference pairedDifference(Result variant, Result baseline) {
    return pairedDifference(variant.series(), baseline.series());
  }

  /** {@code series} minus {@code baseline}, element by element (round by round); see {@link Difference}. */
  static Difference pairedDifference(List<Double> series, List<Double> baseline) {
    List<Double> differences = new ArrayList<>();
    for (int round = 0; round < series.size(); round++) {
      differences.add(series.get(round) - baseline.get(round));
    }
    double[] interval = Stats.medianConfidence95(differences);
    return new Difference(Stats.of(differences).median(), interval[0], interval[1]);
  }

  /** {@code warmUp} rounds, then {@code rounds} measured ones, of every variant on {@code jdk}. */
  static Map<Variant, Result> run(LocalPeers peers, Layout layout, JdkUnderTest jdk, int warmUp, int rounds)
      throws Exception {
    if (!Boolean.getBoolean(NODELAY_PROPERTY)) {
      throw new IllegalStateException("run the harness with -D" + NODELAY_PROPERTY + "=true, as benchmarks/run.sh does:"
          + " without it a delayed ACK adds about 40 ms to each invocation");
    }
    ColdStart.Target target = new ColdStart.Target(layout, jdk, peers);
    Map<Variant, List<Double>> millis = new LinkedHashMap<>();
    Map<Variant, Double> spansPerInvocation = new LinkedHashMap<>();
    List<Function> functions = new ArrayList<>();
    try {
      for (Variant variant : VARIANTS) {
        millis.put(variant, new ArrayList<>());
        functions.add(new Function(target, variant));
      }
      for (int round = 0; round < warmUp + rounds; round++) {
        for (int i = 0; i < functions.size(); i++) {
          Function function = functions.get((round + i) % functions.size());
          Thread.sleep(PAUSE);
          double latency = function.invoke();
          if (round >= warmUp) {
            millis.get(function.variant).add(latency);
          }
        }
      }
      for (Function function : functions) {
        spansPerInvocation.put(function.variant, function.spansReceived(peers) / (double) (warmUp + rounds));
      }
    } finally {
      functions.forEach(Function::close);
    }
    write(layout.work().resolve("warm-latency-jdk" + jdk.name() + ".csv"), millis);

    Map<Variant, Result> results = new LinkedHashMap<>();
    List<Double> untraced = millis.get(Variant.UNTRACED);
    for (Variant variant : VARIANTS) {
      List<Double> own = millis.get(variant);
      List<Double> added = new ArrayList<>();
      for (int round = 0; round < own.size(); round++) {
        added.add(own.get(round) - untraced.get(round));
      }
      Result result = new Result(Stats.of(own), Stats.percentile(own, 90), Stats.of(added).median(),
          spansPerInvocation.get(variant), List.copyOf(own));
      results.put(variant, result);
      System.out.printf(Locale.ROOT, "[warm latency] JDK %s %-25s median %.3f ms  p90 %.3f  min %.3f  max %.3f  added %+.3f  spans/invocation %.1f%n",
          jdk.name(), variant.key, result.millis().median(), result.p90(), result.millis().min(), result.millis().max(),
          result.addedMillis(), result.spansPerInvocation());
    }
    for (Variant variant : VARIANTS) {
      if (variant != Variant.UNTRACED) {
        Difference added = pairedDifference(results.get(variant), results.get(Variant.UNTRACED));
        System.out.printf(Locale.ROOT, "[warm latency] JDK %s %-36s added %+.3f ms (95%% CI %+.3f to %+.3f)%n",
            jdk.name(), variant.key, added.median(), added.low(), added.high());
      }
    }
    if (!results.containsKey(Variant.BATON_DROPPED_RECORD_ONLY) || !results.containsKey(Variant.BATON_DROPPED_PLAIN)) {
      return results;
    }
    Difference recording = pairedDifference(results.get(Variant.BATON_DROPPED_RECORD_ONLY), results.get(Variant.BATON_DROPPED_PLAIN));
    System.out.printf(Locale.ROOT, "[warm latency] JDK %s record-only minus plain drop: %+.3f ms (95%% CI %+.3f to %+.3f)%n",
        jdk.name(), recording.median(), recording.low(), recording.high());
    return results;
  }

  /** Every measured latency, one row per round, for a look at the series (not a result file). */
  private static void write(Path file, Map<Variant, List<Double>> millis) throws IOException {
    StringBuilder csv = new StringBuilder("round");
    millis.keySet().forEach(variant -> csv.append(',').append(variant.key));
    int rounds = millis.values().iterator().next().size();
    for (int round = 0; round < rounds; round++) {
      csv.append('\n').append(round);
      for (List<Double> series : millis.values()) {
        csv.append(String.format(Locale.ROOT, ",%.4f", series.get(round)));
      }
    }
    Files.writeString(file, csv.append('\n'));
  }

  /** One invocation: the event, and when the Runtime API answered {@code next} and got the response. */
  private static final class Invocation {
    final String requestId = UUID.randomUUID().toString();
    final String traceId = UUID.randomUUID().toString().replace("-", "");
    final String event;
    final CompletableFuture<String> response = new CompletableFuture<>();
    volatile long answeredNanos;
    volatile long respondedNanos;

    Invocation(Layout layout) throws IOException {
      event = ColdStart.event(layout, traceId, requestId);
    }
  }

  /**
   * One function JVM and the Runtime API it polls: {@link #invoke} hands its waiting {@code next}
   * one event and waits for the response; between invocations the {@code next} waits.
   */
  private static final class Function implements AutoCloseable {
    final Variant variant;
    private final Layout layout;
    private final SynchronousQueue<Invocation> next = new SynchronousQueue<>();
    private final Map<String, Invocation> inFlight = new ConcurrentHashMap<>();
    private final List<String> traceIds = new ArrayList<>();
    private final ExecutorService executor = ColdStart.runtimeApiExecutor();
    private final HarnessExtensions extensions = new HarnessExtensions();
    private final HttpServer server;
    private final Path output;
    private final Process process;

    Function(ColdStart.Target target, Variant variant) throws IOException {
      this.variant = variant;
      this.layout = target.layout();
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.setExecutor(executor);
      server.createContext(ColdStart.BASE, this::handle);
      extensions.serveOn(server);
      server.start();
      output = Files.createTempFile(layout.work(), "warm-" + variant.key + "-", ".log");
      process = ColdStart.function(target, variant, server.getAddress().getPort(), List.of(), output).start();
    }

    /** Invokes the function once, in a trace of its own; returns the latency in milliseconds. */
    double invoke() throws Exception {
      Invocation invocation = new Invocation(layout);
      inFlight.put(invocation.requestId, invocation);
      traceIds.add(invocation.traceId);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (!next.offer(invocation, 100, TimeUnit.MILLISECONDS)) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          throw failure("never asked for its next event", null);
        }
      }
      String body;
      try {
        body = invocation.response.get(60, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException failed) {
        throw failure("gave no response (" + failed.getMessage() + ")", failed);
      }
      if (!body.contains("\"statusCode\":201")) {
        throw failure("answered " + body, null);
      }
      // As Lambda, the next invocation only once the extensions are done with this one (Baton's
      // export after the response): not part of the caller's wait.
      if (!extensions.awaitDone(Duration.ofSeconds(30))) {
        throw failure("has an extension that never asked for its next event", null);
      }
      return (invocation.respondedNanos - invocation.answeredNanos) / 1e6;
    }

    /** How many spans of this function's invocations arrived where it exports them. */
    int spansReceived(LocalPeers peers) throws InterruptedException {
      peers.awaitExport(variant, traceIds.get(traceIds.size() - 1));
      Set<String> own = new HashSet<>(traceIds);
      return (int) peers.spans(variant).stream().filter(span -> own.contains(span.getTraceId())).count();
    }

    private IllegalStateException failure(String what, Throwable cause) {
      return new IllegalStateException(variant.key + " (warm invocations) " + what + ":\n" + ColdStart.tail(output), cause);
    }

    private void handle(HttpExchange exchange) throws IOException {
      try (exchange) {
        String path = exchange.getRequestURI().getPath().substring(ColdStart.BASE.length());
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (path.equals("invocation/next")) {
          Invocation invocation;
          try {
            invocation = next.take();
          } catch (InterruptedException closing) {
            Thread.currentThread().interrupt();
            return;
          }
          invocation.answeredNanos = System.nanoTime();
          ColdStart.answerNext(exchange, invocation.event, invocation.requestId, invocation.traceId, extensions);
          return;
        }
        long received = System.nanoTime();
        if (path.startsWith("invocation/") && (path.endsWith("/response") || path.endsWith("/error"))) {
          String requestId = path.substring("invocation/".length(), path.lastIndexOf('/'));
          Invocation invocation = inFlight.remove(requestId);
          if (invocation != null) {
            invocation.respondedNanos = received;
            if (path.endsWith("/response")) {
              invocation.response.complete(body);
            } else {
              invocation.response.completeExceptionally(new IllegalStateException("function error: " + body));
            }
          }
        } else if (path.equals("init/error")) {
          inFlight.values().forEach(i -> i.response.completeExceptionally(new IllegalStateException("init error: " + body)));
        }
        ColdStart.respond(exchange, 202, "{\"status\":\"OK\"}");
      }
    }

    @Override
    public void close() {
      ColdStart.stop(process);
      server.stop(0);
      executor.shutdownNow();
      try {
        Files.deleteIfExists(output);
      } catch (IOException ignored) {
        // target/work is cleaned with the build
      }
    }
  }
}
