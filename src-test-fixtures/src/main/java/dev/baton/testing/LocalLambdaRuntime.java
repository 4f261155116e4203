package dev.baton.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A local Lambda Runtime API on the JDK's {@link HttpServer} (127.0.0.1, a free port) that runs a
 * handler in a fresh JVM through the real AWS runtime interface client ({@code
 * com.amazonaws.services.lambda.runtime.api.client.AWSLambda}), the way Lambda's Java runtime
 * does:
 *
 * <pre>{@code
 * try (LocalLambdaRuntime lambda = LocalLambdaRuntime.builder("com.example.OrdersHandler")
 *     .environment("OTEL_SERVICE_NAME", "orders").start()) {
 *   LocalLambdaRuntime.Result result = lambda.invoke(LocalLambdaRuntime.invocation(eventJson));
 *   assertThat(result.error()).isFalse();
 * }
 * }</pre>
 *
 * <p>It answers {@code GET /2018-06-01/runtime/invocation/next} with the next event and the
 * {@code Lambda-Runtime-Aws-Request-Id}, {@code -Deadline-Ms}, {@code -Invoked-Function-Arn},
 * {@code -Trace-Id} and (when given) {@code -Client-Context} headers, and collects what the
 * client posts to {@code /response}, {@code /error} and {@code /init/error}. Invocations run one
 * at a time, as in one Lambda execution environment. The JVM's output goes to a file whose tail
 * is shown when something fails. Name the handler class alone (not {@code Class::method}): the
 * client then sees the handler's event type and deserialises the event into it.
 */
public final class LocalLambdaRuntime implements AutoCloseable {

  private static final String BASE = "/2018-06-01/runtime/";

  private final Builder settings;
  private final HttpServer server;
  private final ExecutorService executor;
  private final BlockingQueue<Invocation> pending = new LinkedBlockingQueue<>();
  private final Map<String, CompletableFuture<Result>> results = new ConcurrentHashMap<>();
  private final Path output;
  private final Process process;
  private volatile String initError;
  private volatile boolean closed;

  private LocalLambdaRuntime(Builder settings) throws IOException {
    this.settings = settings;
    this.executor = Executors.newCachedThreadPool(runnable -> {
      Thread thread = new Thread(runnable, "local-lambda-runtime-api");
      thread.setDaemon(true);
      return thread;
    });
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server.createContext(BASE, this::handle);
    server.start();
    this.output = Files.createTempFile("local-lambda-" + settings.functionName + "-", ".log");
    this.process = launch();
    process.onExit().thenRun(this::processExited);
  }

  /** A runtime for {@code handler} (a class name, as in the function's handler setting). */
  public static Builder builder(String handler) {
    return new Builder(handler);
  }

  /** An invocation of {@code eventJson} with a fresh request id. */
  public static Invocation invocation(String eventJson) {
    return new Invocation(UUID.randomUUID().toString(), eventJson, null, null);
  }

  /** The port the Runtime API listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** Sends {@code invocation} and waits for the handler's response or error. */
  public Result invoke(Invocation invocation) throws TimeoutException, InterruptedException {
    if (!process.isAlive() || initError != null) {
      throw new IllegalStateException("the function's JVM is not running" + diagnostics());
    }
    CompletableFuture<Result> result = new CompletableFuture<>();
    results.put(invocation.requestId, result);
    try {
      pending.add(invocation);
      return result.get(settings.invocationTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException failed) {
      throw new IllegalStateException(failed.getCause().getMessage() + diagnostics(), failed.getCause());
    } catch (TimeoutException timeout) {
      throw new TimeoutException(
          "no response to " + invocation.requestId + " within " + settings.invocationTimeout + diagnostics());
    } finally {
      results.remove(invocation.requestId);
    }
  }

  /** Everything the function's JVM printed so far. */
  public String output() {
    try {
      return Files.readString(output, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(output unreadable: " + e + ")";
    }
  }

  /** Stops the function's JVM and the Runtime API. */
  @Override
  public void close() {
    closed = true;
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    pending.add(Invocation.STOP);
    server.stop(0);
    executor.shutdownNow();
  }

  /** Where the runtime client loads its JNI library from when set, instead of unpacking it. */
  private static final String NATIVE_LIBRARY_PROPERTY =
      "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI";

  private static Path nativeLibrary;

  /**
   * The runtime client's JNI library, unpacked once per test JVM into a file of its own. Left to
   * itself, every client JVM rewrites the shared {@code /tmp/.libaws-lambda-jni.so} at start,
   * which crashes (SIGBUS) any other client JVM that has it loaded or is loading it: two functions
   * started together, or two builds on one machine.
   */
  private static synchronized Path nativeLibrary() throws IOException {
    if (nativeLibrary == null) {
      String arch = System.getProperty("os.arch");
      String name =
          arch.equals("aarch64") || arch.equals("arm64")
              ? "libaws-lambda-jni.linux-aarch_64.so"
              : "libaws-lambda-jni.linux-x86_64.so";
      try (InputStream in = LocalLambdaRuntime.class.getResourceAsStream("/jni/" + name)) {
        if (in == null) {
          throw new IOException("the runtime interface client's /jni/" + name + " is not on the classpath");
        }
        Path file = Files.createTempFile("baton-aws-lambda-jni-", ".so");
        file.toFile().deleteOnExit();
        Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        nativeLibrary = file;
      }
    }
    return nativeLibrary;
  }

  private Process launch() throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(settings.jvmArguments);
    command.add("-D" + NATIVE_LIBRARY_PROPERTY + "=" + nativeLibrary());
    command.add("-cp");
    command.add(settings.classpath);
    command.add("com.amazonaws.services.lambda.runtime.api.client.AWSLambda");
    command.add(settings.handler);
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> environment = builder.environment();
    environment.keySet().removeIf(name -> name.startsWith("OTEL_") || name.startsWith("AWS_") || name.equals("_X_AMZN_TRACE_ID"));
    environment.put("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:" + port());
    environment.put("AWS_LAMBDA_FUNCTION_NAME", settings.functionName);
    environment.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
    environment.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512");
    environment.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + settings.functionName);
    environment.put("AWS_LAMBDA_LOG_STREAM_NAME", "2024/05/01/[$LATEST]" + UUID.randomUUID().toString().replace("-", ""));
    environment.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
    environment.put("AWS_REGION", settings.region);
    environment.put("AWS_DEFAULT_REGION", settings.region);
    environment.put("AWS_EXECUTION_ENV", "AWS_Lambda_java17");
    environment.put("_HANDLER", settings.handler);
    environment.putAll(settings.environment);
    builder.redirectErrorStream(true);
    builder.redirectOutput(output.toFile());
    return builder.start();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath().substring(BASE.length());
      byte[] body = exchange.getRequestBody().readAllBytes();
      if (path.equals("invocation/next") && exchange.getRequestMethod().equals("GET")) {
        next(exchange);
        return;
      }
      if (path.equals("init/error")) {
        initError = new String(body, StandardCharsets.UTF_8);
        results.values().forEach(r -> r.completeExceptionally(new IllegalStateException("init error: " + initError)));
        respond(exchange, 202, "{}");
        return;
      }
      if (path.startsWith("invocation/")) {
        String[] parts = path.split("/");
        if (parts.length == 3 && (parts[2].equals("response") || parts[2].equals("error"))) {
          boolean error = parts[2].equals("error");
          Result result =
              new Result(
                  parts[1],
                  error,
                  new String(body, StandardCharsets.UTF_8),
                  exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type"),
                  EventOrder.next());
          CompletableFuture<Result> waiting = results.get(parts[1]);
          if (waiting != null) {
            waiting.complete(result);
          }
          respond(exchange, 202, "{\"status\":\"OK\"}");
          return;
        }
      }
      respond(exchange, 404, "{\"errorMessage\":\"unknown path " + path + "\"}");
    }
  }

  private void next(HttpExchange exchange) throws IOException {
    Invocation invocation;
    try {
      invocation = pending.take();
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      respond(exchange, 500, "{}");
      return;
    }
    if (invocation == Invocation.STOP || closed) {
      respond(exchange, 500, "{\"errorMessage\":\"runtime stopped\"}");
      return;
    }
    var headers = exchange.getResponseHeaders();
    headers.add("Content-Type", "application/json");
    headers.add("Lambda-Runtime-Aws-Request-Id", invocation.requestId);
    headers.add(
        "Lambda-Runtime-Deadline-Ms",
        Long.toString(System.currentTimeMillis() + settings.invocationTimeout.toMillis()));
    headers.add("Lambda-Runtime-Invoked-Function-Arn", settings.invokedArn());
    headers.add(
        "Lambda-Runtime-Trace-Id",
        invocation.traceHeader != null
            ? invocation.traceHeader
            : "Root=1-" + Long.toHexString(System.currentTimeMillis() / 1000) + "-"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 24)
                + ";Parent=" + UUID.randomUUID().toString().replace("-", "").substring(0, 16)
                + ";Sampled=0");
    if (invocation.clientContextJson != null) {
      headers.add("Lambda-Runtime-Client-Context", invocation.clientContextJson);
    }
    respond(exchange, 200, invocation.eventJson);
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private void processExited() {
    IllegalStateException exited =
        new IllegalStateException("the function's JVM exited with " + process.exitValue());
    results.values().forEach(result -> result.completeExceptionally(exited));
  }

  private String diagnostics() {
    String text = output();
    String tail = text.length() > 4000 ? text.substring(text.length() - 4000) : text;
    return "\n--- function output (" + output + ") ---\n" + tail;
  }

  /** One event to send, with the headers Lambda would add. */
  public static final class Invocation {
    static final Invocation STOP = new Invocation("stop", "", null, null);

    final String requestId;
    final String eventJson;
    final String traceHeader;
    final String clientContextJson;

    private Invocation(String requestId, String eventJson, String traceHeader, String clientContextJson) {
      this.requestId = requestId;
      this.eventJson = eventJson;
      this.traceHeader = traceHeader;
      this.clientContextJson = clientContextJson;
    }

    /** With {@code Lambda-Runtime-Trace-Id} (X-Ray format); by default an unsampled one. */
    public Invocation withTraceHeader(String header) {
      return new Invocation(requestId, eventJson, header, clientContextJson);
    }

    /** With {@code Lambda-Runtime-Client-Context}: the JSON of a client context. */
    public Invocation withClientContext(String json) {
      return new Invocation(requestId, eventJson, traceHeader, json);
    }

    public String requestId() {
      return requestId;
    }
  }

  /** What the handler gave back: its response, or the error the runtime client reported. */
  public static final class Result {
    private final String requestId;
    private final boolean error;
    private final String body;
    private final String errorType;
    private final long order;

    Result(String requestId, boolean error, String body, String errorType, long order) {
      this.requestId = requestId;
      this.error = error;
      this.body = body;
      this.errorType = errorType;
      this.order = order;
    }

    public String requestId() {
      return requestId;
    }

    /** Whether the client posted to {@code /error} (the handler threw). */
    public boolean error() {
      return error;
    }

    /** The response payload, or the error JSON ({@code errorMessage}, {@code errorType}, ...). */
    public String body() {
      return body;
    }

    /** {@code Lambda-Runtime-Function-Error-Type} of an error. */
    public String errorType() {
      return errorType;
    }

    /** When the response arrived, in {@link EventOrder}. */
    public long order() {
      return order;
    }

    @Override
    public String toString() {
      return (error ? "error " : "response ") + requestId + ": " + body;
    }
  }

  /** Settings of a {@link LocalLambdaRuntime}. */
  public static final class Builder {
    private final String handler;
    private String classpath = System.getProperty("java.class.path");
    private String functionName = "baton-test-function";
    private String region = TestLambdaContext.REGION;
    private Duration invocationTimeout = Duration.ofSeconds(60);
    private final List<String> jvmArguments =
        new ArrayList<>(List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto"));
    private final Map<String, String> environment = new LinkedHashMap<>();

    private Builder(String handler) {
      this.handler = handler;
    }

    /** The function's classpath; by default this JVM's {@code java.class.path}. */
    public Builder classpath(String classpath) {
      this.classpath = classpath;
      return this;
    }

    public Builder functionName(String name) {
      this.functionName = name;
      return this;
    }

    public Builder region(String region) {
      this.region = region;
      return this;
    }

    /** How long {@link #invoke} waits for one response (generous: 60 s by default). */
    public Builder invocationTimeout(Duration timeout) {
      this.invocationTimeout = timeout;
      return this;
    }

    /** An environment variable of the function (set after Lambda's own, so it can override). */
    public Builder environment(String name, String value) {
      environment.put(name, value);
      return this;
    }

    /** An extra JVM argument, such as {@code -Dotel.traces.exporter=otlp}. */
    public Builder jvmArgument(String argument) {
      jvmArguments.add(argument);
      return this;
    }

    String invokedArn() {
      return "arn:aws:lambda:" + region + ":" + TestLambdaContext.ACCOUNT_ID + ":function:" + functionName;
    }

    /** Starts the Runtime API and the function's JVM. */
    public LocalLambdaRuntime start() {
      try {
        return new LocalLambdaRuntime(this);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
