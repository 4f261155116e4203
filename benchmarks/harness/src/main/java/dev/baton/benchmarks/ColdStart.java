package dev.baton.benchmarks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;

/**
 * One cold start: a fresh JVM started by the real AWS runtime interface client against a Runtime
 * API of its own (the JDK's {@link HttpServer} on 127.0.0.1), timed from just before the process
 * is launched to the moment its first response arrives. The function's peak resident memory
 * ({@code VmHWM} of {@code /proc/<pid>/status}) is read right after the response, before the JVM
 * is stopped. The Runtime API answers the first {@code next} with the event and holds every later
 * one, as Lambda does while it freezes an environment.
 */
final class ColdStart {

  /** The settings Lambda's Java runtime starts the JVM with (512 MB function). */
  static final List<String> LAMBDA_JVM_ARGUMENTS =
      List.of(
          "-XX:+TieredCompilation",
          "-XX:TieredStopAtLevel=1",
          "-XX:+UseSerialGC",
          "-Xshare:auto",
          "-XX:MaxHeapSize=445645k");

  static final String BASE = "/2018-06-01/runtime/";
  private static final String JNI_PROPERTY =
      "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI";
  private static Path jniLibrary;

  /**
   * What one cold start measured; {@code traceId} is the trace the event carries (in {@code
   * traceparent} and the X-Ray header). The Baton and hand-written variants continue it; the
   * OpenTelemetry agent exports into traces of its own.
   */
  record Sample(double millis, double peakRssMb, String traceId, String response, List<String> loadedClasses) {}

  /** Settings shared by all cold starts of a run: what to run, on which JDK, against which peers. */
  record Target(Layout layout, JdkUnderTest jdk, LocalPeers peers) {}

  private ColdStart() {}

  /** Runs {@code variant} once; with {@code logClassLoading}, also lists every class it loaded. */
  static Sample run(Target target, Variant variant, boolean logClassLoading) throws Exception {
    String traceId = UUID.randomUUID().toString().replace("-", "");
    String requestId = UUID.randomUUID().toString();
    String event = event(target.layout(), traceId, requestId);
    CompletableFuture<String> response = new CompletableFuture<>();
    CountDownLatch stopped = new CountDownLatch(1);
    ExecutorService executor = runtimeApiExecutor();
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    HarnessExtensions extensions = new HarnessExtensions();
    server.createContext(BASE, exchange -> handle(exchange, event, requestId, traceId, response, stopped, extensions));
    extensions.serveOn(server);
    server.start();
    Path output = Files.createTempFile(target.layout().work(), "cold-start-" + variant.key + "-", ".log");
    Path classLog = logClassLoading ? Files.createTempFile(target.layout().work(), "classes-", ".log") : null;
    List<String> jvmArguments = classLog == null ? List.of() : List.of("-Xlog:class+load=info:file=" + classLog);
    ProcessBuilder builder = function(target, variant, server.getAddress().getPort(), jvmArguments, output);

    long started = System.nanoTime();
    Process process = builder.start();
    try {
      String body;
      try {
        body = response.get(120, TimeUnit.SECONDS);
      } catch (Exception failed) {
        throw new IllegalStateException(
            variant.key + " on JDK " + target.jdk().name() + " gave no response (" + failed.getMessage() + "):\n" + tail(output), failed);
      }
      double millis = (System.nanoTime() - started) / 1e6;
      double rss = peakRssMb(process.pid());
      if (!body.contains("\"statusCode\":201")) {
        throw new IllegalStateException(variant.key + " answered " + body + "\n" + tail(output));
      }
      // What an extension does after the response (Baton's export) ends before the JVM is stopped,
      // as Lambda waits for it before freezing the environment; not part of the cold start.
      extensions.awaitDone(Duration.ofSeconds(10));
      stop(process);
      List<String> classes = classLog == null ? List.of() : loadedClasses(classLog);
      Files.deleteIfExists(output);
      if (classLog != null) {
        Files.deleteIfExists(classLog);
      }
      return new Sample(millis, rss, traceId, body, classes);
    } finally {
      stop(process);
      stopped.countDown();
      server.stop(0);
      executor.shutdownNow();
    }
  }

  private static void handle(
      HttpExchange exchange, String event, String requestId, String traceId,
      CompletableFuture<String> response, CountDownLatch stopped, HarnessExtensions extensions) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath().substring(BASE.length());
      byte[] body = exchange.getRequestBody().readAllBytes();
      if (path.equals("invocation/next")) {
        if (response.isDone()) {
          try {
            stopped.await(); // frozen until this cold start is over
          } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
          }
          respond(exchange, 500, "{}");
          return;
        }
        answerNext(exchange, event, requestId, traceId, extensions);
        return;
      }
      String text = new String(body, StandardCharsets.UTF_8);
      if (path.endsWith("/response")) {
        response.complete(text);
      } else if (path.endsWith("/error")) {
        response.completeExceptionally(new IllegalStateException("function error: " + text));
      } else if (path.equals("init/error")) {
        response.completeExceptionally(new IllegalStateException("init error: " + text));
      }
      respond(exchange, 202, "{\"status\":\"OK\"}");
    }
  }

  /**
   * The function's JVM as Lambda's Java runtime starts it (not yet started): the runtime client,
   * with Lambda's JVM settings and {@code jvmArguments}, against the Runtime API on {@code
   * runtimeApiPort}, with Lambda's environment, the peers' addresses and the variant's settings;
   * its output goes to {@code output}.
   */
  static ProcessBuilder function(
      Target target, Variant variant, int runtimeApiPort, List<String> jvmArguments, Path output) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(target.jdk().java().toString());
    command.addAll(LAMBDA_JVM_ARGUMENTS);
    command.addAll(variant.jvmArguments(target.layout()));
    command.addAll(jvmArguments);
    command.add("-D" + JNI_PROPERTY + "=" + jniLibrary(target.layout()));
    command.add("-cp");
    command.add(variant.classpath(target.layout()));
    command.add("com.amazonaws.services.lambda.runtime.api.client.AWSLambda");
    command.add(Variant.HANDLER);
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> environment = builder.environment();
    environment.keySet().removeIf(name -> name.startsWith("OTEL_") || name.startsWith("AWS_") || name.startsWith("BATON_")
        || name.startsWith("JAVA_TOOL"));
    environment.put("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:" + runtimeApiPort);
    environment.put("AWS_LAMBDA_FUNCTION_NAME", "place-order");
    environment.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
    environment.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512");
    environment.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/place-order");
    environment.put("AWS_LAMBDA_LOG_STREAM_NAME", "2024/05/01/[$LATEST]" + UUID.randomUUID().toString().replace("-", ""));
    environment.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
    environment.put("AWS_EXECUTION_ENV", "AWS_Lambda_java17");
    environment.put("_HANDLER", Variant.HANDLER);
    environment.putAll(target.peers().sqsEnvironment());
    environment.putAll(target.peers().exportEnvironment(variant));
    builder.redirectErrorStream(true);
    builder.redirectOutput(output.toFile());
    return builder;
  }

  /** The {@code POST /orders} event with its trace and request ids filled in. */
  static String event(Layout layout, String traceId, String requestId) throws IOException {
    return Files.readString(layout.event()).replace("TRACE_ID", traceId).replace("REQUEST_ID", requestId);
  }

  /**
   * Answers a {@code next} with {@code event} and the headers Lambda sends with it, among them its
   * X-Ray header for trace {@code traceId}, sampled (as with active tracing); the extensions get the
   * invocation's {@code INVOKE} event at the same time.
   */
  static void answerNext(
      HttpExchange exchange, String event, String requestId, String traceId, HarnessExtensions extensions)
      throws IOException {
    long deadlineMs = System.currentTimeMillis() + 60_000;
    String traceHeader =
        "Root=1-" + traceId.substring(0, 8) + "-" + traceId.substring(8) + ";Parent=00f067aa0ba902b7;Sampled=1";
    var headers = exchange.getResponseHeaders();
    headers.add("Content-Type", "application/json");
    headers.add("Lambda-Runtime-Aws-Request-Id", requestId);
    headers.add("Lambda-Runtime-Deadline-Ms", Long.toString(deadlineMs));
    headers.add("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:eu-west-1:123456789012:function:place-order");
    headers.add("Lambda-Runtime-Trace-Id", traceHeader);
    extensions.invoked(requestId, deadlineMs, traceHeader);
    respond(exchange, 200, event);
  }

  /** The threads a Runtime API's handlers run on: daemons, as many as it needs (a {@code next} may park). */
  static ExecutorService runtimeApiExecutor() {
    return Executors.newCachedThreadPool(runnable -> {
      Thread thread = new Thread(runnable, "runtime-api");
      thread.setDaemon(true);
      return thread;
    });
  }

  static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** {@code VmHWM}: the peak resident set size of the process so far. */
  static double peakRssMb(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
      }
    }
    throw new IOException("no VmHWM in /proc/" + pid + "/status");
  }

  static void stop(Process process) {
    if (!process.isAlive()) {
      return;
    }
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private static List<String> loadedClasses(Path log) throws IOException {
    List<String> classes = new ArrayList<>();
    for (String line : Files.readAllLines(log)) {
      int end = line.indexOf(" source: ");
      int start = line.indexOf("] ", line.indexOf("class,load"));
      if (start > 0 && end > start) {
        classes.add(line.substring(start + 2, end).trim());
      }
    }
    return classes;
  }

  /**
   * The runtime client's JNI library, unpacked once into a file of its own: left to itself, every
   * client JVM rewrites the shared {@code /tmp/.libaws-lambda-jni.so} at start, which can crash
   * another build's client JVM that has it loaded.
   */
  private static synchronized Path jniLibrary(Layout layout) throws IOException {
    if (jniLibrary == null) {
      for (String jar : layout.runtimeClientClasspath().split(java.io.File.pathSeparator)) {
        if (!jar.contains("runtime-interface-client")) {
          continue;
        }
        try (JarFile file = new JarFile(jar);
            InputStream in = file.getInputStream(file.getEntry("jni/libaws-lambda-jni.linux-x86_64.so"))) {
          Path library = Files.createTempFile("baton-benchmarks-jni-", ".so");
          library.toFile().deleteOnExit();
          Files.copy(in, library, StandardCopyOption.REPLACE_EXISTING);
          jniLibrary = library;
        }
      }
      if (jniLibrary == null) {
        throw new IOException("no runtime interface client in " + layout.runtimeClientClasspath());
      }
    }
    return jniLibrary;
  }

  static String tail(Path output) {
    try {
      String text = Files.readString(output);
      return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
    } catch (IOException e) {
      return "(no output: " + e + ")";
    }
  }
}
