package dev.baton.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A stand-in for Lambda's Runtime API: a local server on the JDK's {@link HttpServer} (127.0.0.1,
 * a free port) that runs a handler in a fresh JVM through the real AWS runtime interface client
 * ({@code com.amazonaws.services.lambda.runtime.api.client.AWSLambda}), the way Lambda's Java
 * runtime does:
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
 * {@code -Trace-Id} and (when given) {@code -Client-Context} headers, and collects what the client
 * posts to {@code /response}, {@code /error} and {@code /init/error}. Its sockets send with {@code
 * TCP_NODELAY}, as Lambda's do: it sets {@code sun.net.httpserver.nodelay=true} in this JVM unless
 * set otherwise, which works when no JDK {@code HttpServer} was created before (an {@link
 * OtlpReceiver} sets it too). The JVM's output goes to a file
 * whose tail is shown when something fails, and a JVM that exits fails every invocation still
 * waiting. Name the handler class alone (not {@code Class::method}): the client then sees the
 * handler's event type and deserialises the event into it.
 *
 * <p>What it reproduces of Lambda, besides the protocol:
 *
 * <ul>
 *   <li><b>The X-Ray header on every invocation.</b> {@code Lambda-Runtime-Trace-Id} is sent with
 *       every event: the one given with {@link Invocation#withTraceHeader}, or a fresh {@code
 *       Root=1-<8 hex epoch seconds>-<24 hex>;Parent=<16 hex>;Sampled=0} per invocation, {@code
 *       Sampled=1} with {@link Builder#activeTracing}; {@link Result#traceHeader()} tells which.
 *   <li><b>One invocation at a time</b>, as in one execution environment: the client asks for the
 *       next event only after posting the previous result, and events wait in order until it does.
 *   <li><b>Lambda Managed Instances</b> ({@link Builder#maxConcurrency}): the client runs that many
 *       threads, each asking for {@code /next} on its own, and every one is answered with its own
 *       invocation, so several run at once (send them with {@link #invokeAsync}).
 *   <li><b>The freeze</b> ({@link Builder#freezeBetweenInvocations}): once the client has posted
 *       an invocation's result and asked for the next event, the JVM is stopped ({@code SIGSTOP}),
 *       and continued ({@code SIGCONT}) just before the next event is handed over. Lambda freezes
 *       only when no event is waiting; this always does, so every invocation meets the worst case:
 *       anything the function leaves to background threads stops until the next invocation.
 *   <li><b>SnapStart</b> ({@link Builder#snapStart}): the client runs the {@code org.crac} {@code
 *       beforeCheckpoint} hooks after init, asks {@code /restore/next}, runs {@code afterRestore},
 *       and only then asks for invocations. The restore follows at once: no snapshot is taken, and
 *       the JVM (its memory, its random seeds, its connections) is the one that ran init.
 *   <li><b>Internal extensions</b>: the Extensions API ({@code /2020-01-01/extension/}, on the
 *       same address, as on Lambda) for threads of the function's JVM, as described below.
 * </ul>
 *
 * <h2>Internal extensions</h2>
 *
 * <p>A function that registers an extension gets Lambda's lifecycle for it; one that registers
 * none sees no difference. What Lambda does, from its documentation ("Lambda Extensions API",
 * "Lambda execution environment") and its own API server (the runtime interface emulator, {@code
 * aws/aws-lambda-runtime-interface-emulator} at {@code 4fa2157}, {@code internal/lambda/rapid/
 * handlers.go}: {@code doRuntimeDomainInit}, {@code doInvoke}; {@code rapidcore/server.go}:
 * {@code Invoke}), and what this class does of it:
 *
 * <ul>
 *   <li><b>Registration</b> ({@code POST /2020-01-01/extension/register}, body {@code
 *       {"events":["INVOKE"]}}) is open until the runtime first asks for an event, {@code
 *       invocation/next} or, with SnapStart, {@code restore/next}; after that it is refused with
 *       403 {@code Extension.RegistrationClosed}. An internal extension may subscribe to {@code
 *       INVOKE} only: {@code SHUTDOWN} is refused with 403 {@code Extension.InvalidEventType}.
 *       {@link #extensions()} lists what registered. Every answer is detailed in {@code
 *       LocalExtensionsApi}.
 *   <li><b>The init phase</b> ends when the runtime and every registered extension have asked for
 *       their first event: the first invocation (with SnapStart, the answer to {@code
 *       restore/next}) waits for that. An extension that never asks holds it: the invocations time
 *       out (Lambda would retry the init with the function's timeout).
 *   <li><b>Each invocation</b> is handed to the runtime and to every extension subscribed to {@code
 *       INVOKE} at once: the extension's {@code GET /2020-01-01/extension/event/next} answers
 *       {@code {"eventType":"INVOKE","deadlineMs":...,"requestId":...,"invokedFunctionArn":...,
 *       "tracing":{"type":"X-Amzn-Trace-Id","value":...}}} ({@code deadlineMs} is the epoch
 *       milliseconds of {@code Lambda-Runtime-Deadline-Ms}).
 *   <li><b>The response goes back at once</b>: {@link Result} completes as soon as the runtime
 *       posts it, while extensions may still work. The invoke phase ends when the runtime and every
 *       subscribed extension have asked for their next event ({@link Result#extensionsDoneOrder},
 *       {@link #awaitExtensionsDone}); only then is the JVM frozen ({@link
 *       Builder#freezeBetweenInvocations}), and only then is the next event handed over.
 *   <li><b>A stuck extension</b>: the function's timeout ({@link Builder#invocationTimeout}, from
 *       when the event was handed over) bounds the whole invoke phase. When an extension has not
 *       asked for its next event by then, Lambda resets the environment: the JVM is stopped
 *       ({@code SIGTERM}, {@code SIGKILL} after 500 ms, the shutdown limit of a function with an
 *       internal extension) without being frozen, and the next invocation starts a fresh JVM, whose
 *       init runs again ({@link #resetCount()}, {@link Result#environmentReset()}). The caller of
 *       the stuck invocation already has its response; an invocation queued behind it waits for
 *       the fresh JVM, and its own timeout keeps running from when it was queued.
 *   <li><b>Error reports</b> ({@code /extension/init/error}, {@code /exit/error}) are recorded
 *       ({@link #extensionErrors()}). Lambda treats both as fatal ({@code
 *       fatalerror.AgentInitError}, {@code AgentExitError}; {@code rapidcore/server.go} resets the
 *       environment after an invocation that ended with one). Here an init error, or an exit error
 *       before the init phase ended, fails the init as the runtime's {@code /init/error} does (the
 *       invocations fail, with the error in their message) and the JVM is shut down once the
 *       runtime asks for its first event; a later exit error resets the environment as soon as the
 *       runtime has asked for its next event.
 *   <li><b>Lambda Managed Instances</b> ({@link Builder#maxConcurrency}): extensions exist there,
 *       but Lambda lets an internal one register for no event at all ({@code
 *       internal/lambda-managed-instances/rapi/handler/agentregister.go}: "No events allowed for
 *       internal extensions", 403 {@code Extension.InvalidEventType}; external ones may take {@code
 *       SHUTDOWN} only), so there is no per-invocation phase to wait for; the environment is never
 *       frozen either. Registration still closes at the first {@code next} of any runtime thread,
 *       and the first invocation still waits for every registered extension's first {@code next}.
 *   <li><b>Extensions turned off</b> ({@link Builder#extensionsApi}): every request to the API is
 *       answered 404, as Lambda does for a function whose extensions are disabled.
 * </ul>
 *
 * <p>Not reproduced: external extensions (processes) and the {@code SHUTDOWN} event, the Telemetry
 * and Logs APIs, ending the JVM when the runtime itself overruns the deadline, memory limits, and
 * payload limits.
 */
public final class LocalLambdaRuntime implements AutoCloseable {

  private static final String BASE = "/2018-06-01/runtime/";
  private static final HexFormat HEX = HexFormat.of();
  private static final String RUNTIME_STOPPED = "{\"errorMessage\":\"runtime stopped\"}";
  /** Lambda's shutdown limit for a function with an internal extension (AWS, "Shutdown phase"). */
  private static final Duration SHUTDOWN_LIMIT = Duration.ofMillis(500);

  private final Builder settings;
  private final HttpServer server;
  private final ExecutorService executor;
  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final Map<String, Pending> inFlight = new ConcurrentHashMap<>();
  /** The freeze record of the invocation whose result came last, until the client asks again. */
  private final AtomicReference<CompletableFuture<Long>> freezeDue = new AtomicReference<>();
  private final AtomicInteger freezes = new AtomicInteger();
  private final AtomicInteger resets = new AtomicInteger();
  private final List<ExtensionError> extensionErrors = new CopyOnWriteArrayList<>();
  private final Object signals = new Object();
  private boolean stopped; // guarded by signals
  private final Path output;
  /** The execution environment: the function's JVM and its extensions; replaced by a reset. */
  private volatile Environment environment;
  private volatile String initError;
  private volatile String restoreError;
  private volatile String extensionInitError;
  private volatile String relaunchError;
  private volatile long restoreRequestedOrder;
  private volatile boolean closed;

  private LocalLambdaRuntime(Builder settings) throws IOException {
    this.settings = settings;
    this.executor = LoopbackHttpServer.executor("local-lambda-runtime-api");
    this.server = LoopbackHttpServer.create(executor);
    server.createContext(BASE, this::handle);
    server.createContext(LocalExtensionsApi.BASE,
        exchange -> environment.extensions.handle(exchange));
    server.start();
    this.output = Files.createTempFile("local-lambda-" + settings.functionName + "-", ".log");
    launch();
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

  /** The process id of the function's JVM: a new one after each {@link #resetCount reset}. */
  public long pid() {
    return environment.process().pid();
  }

  /** The exit code of the function's JVM once it has exited; empty while it runs. */
  public OptionalInt exitCode() {
    Process process = environment.process();
    return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
  }

  /**
   * Sends {@code invocation} and waits for the handler's response or error.
   *
   * @throws TimeoutException when no result came within {@link Builder#invocationTimeout}
   * @throws IllegalStateException when the function's JVM is not running or exited meanwhile, or
   *     reported an init or restore error; the message ends with the tail of its output
   */
  public Result invoke(Invocation invocation) throws TimeoutException, InterruptedException {
    try {
      return invokeAsync(invocation).get();
    } catch (ExecutionException failed) {
      Throwable cause = failed.getCause();
      if (cause instanceof TimeoutException) {
        TimeoutException timeout = new TimeoutException(cause.getMessage());
        timeout.initCause(cause);
        throw timeout;
      }
      throw new IllegalStateException(cause.getMessage(), cause);
    }
  }

  /**
   * Queues {@code invocation} and returns at once. The result completes with the handler's
   * response or error, or exceptionally: with a {@link TimeoutException} after {@link
   * Builder#invocationTimeout}, or an {@link IllegalStateException} (with the tail of the JVM's
   * output) when the JVM is not running, exits, or reports an init or restore error. Events are
   * handed to the client in the order queued; with {@link Builder#maxConcurrency} up to that many
   * run at once. Cancelling the result of an event not yet handed over withdraws it.
   */
  public CompletableFuture<Result> invokeAsync(Invocation invocation) {
    Pending pending = new Pending(invocation, invocation.traceHeader != null
        ? invocation.traceHeader
        : traceHeader(settings.activeTracing));
    if (inFlight.putIfAbsent(invocation.requestId, pending) != null) {
      return CompletableFuture.failedFuture(
          new IllegalStateException("request " + invocation.requestId + " is already in flight"));
    }
    // Cancelled by the caller: forget it (the other ends remove it before completing it).
    pending.result.whenComplete((result, failed) -> inFlight.remove(invocation.requestId, pending));
    String notRunning = notRunning();
    if (notRunning != null) {
      pending.result.completeExceptionally(new IllegalStateException(notRunning + diagnostics()));
      return pending.result;
    }
    long timeout = settings.invocationTimeout.toMillis();
    CompletableFuture.delayedExecutor(timeout, TimeUnit.MILLISECONDS).execute(() -> {
      queue.remove(pending);
      if (inFlight.remove(invocation.requestId, pending)) {
        pending.result.completeExceptionally(new TimeoutException(
            "no response to " + invocation.requestId + " within " + settings.invocationTimeout
                + diagnostics()));
      }
    });
    queue.add(pending);
    Environment current = environment;
    if (!current.process().isAlive()) {
      processExited(current); // it may have exited before this invocation was in flight
    }
    return pending.result;
  }

  /**
   * Waits until the function's JVM was frozen after {@code result}, and returns when, in {@link
   * EventOrder}: the freeze happens once the client and every extension subscribed to {@code
   * INVOKE} have asked for their next event, a little after the result arrived. Needs {@link
   * Builder#freezeBetweenInvocations}.
   *
   * @throws TimeoutException when they did not ask for the next event within {@code timeout} (a
   *     handler whose thread is still busy, an extension still working, or a JVM on its way out)
   * @throws IllegalStateException when the JVM exited, or Lambda reset the environment instead
   *     of freezing it (an extension did not ask for its next event by the deadline)
   */
  public long awaitFreeze(Result result, Duration timeout)
      throws TimeoutException, InterruptedException {
    if (!settings.freezeBetweenInvocations) {
      throw new IllegalStateException("this runtime does not freeze: see freezeBetweenInvocations");
    }
    try {
      return result.freeze.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException failed) {
      throw new IllegalStateException(failed.getCause().getMessage(), failed.getCause());
    } catch (TimeoutException notYet) {
      throw new TimeoutException("the function's JVM was not frozen after " + result.requestId
          + " within " + timeout + diagnostics());
    }
  }

  /** How many times the function's JVM has been frozen so far. */
  public int freezeCount() {
    return freezes.get();
  }

  /**
   * Waits until the invoke phase of {@code result} ended: the client and every extension
   * subscribed to {@code INVOKE} had asked for their next event; returns when the last of them
   * asked, in {@link EventOrder} (see {@link Result#extensionsDoneOrder()}). Classic mode only:
   * Lambda Managed Instances have no such phase.
   *
   * @throws TimeoutException when that did not happen within {@code timeout}
   * @throws IllegalStateException when Lambda reset the environment instead (an extension did not
   *     ask for its next event by the invocation's deadline, or reported an exit error), or the
   *     JVM exited; the message says which
   */
  public long awaitExtensionsDone(Result result, Duration timeout)
      throws TimeoutException, InterruptedException {
    if (settings.maxConcurrency > 0) {
      throw new IllegalStateException(
          "Lambda Managed Instances have no invoke phase per invocation: see maxConcurrency");
    }
    try {
      return result.phaseEnd.get(timeout.toMillis(), TimeUnit.MILLISECONDS).order();
    } catch (ExecutionException failed) {
      throw new IllegalStateException(failed.getCause().getMessage(), failed.getCause());
    } catch (TimeoutException notYet) {
      throw new TimeoutException("the runtime and its extensions did not all ask for their next"
          + " event after " + result.requestId + " within " + timeout + diagnostics());
    }
  }

  /**
   * How many times Lambda reset the execution environment so far: stopped the function's JVM
   * without freezing it and started a fresh one, because an extension did not ask for its next
   * event by an invocation's deadline or reported an exit error.
   */
  public int resetCount() {
    return resets.get();
  }

  /** The extensions registered in the current execution environment, in registration order. */
  public List<Extension> extensions() {
    return environment.extensions.registered();
  }

  /** What extensions posted to {@code /extension/init/error} and {@code /exit/error}, in order. */
  public List<ExtensionError> extensionErrors() {
    return List.copyOf(extensionErrors);
  }

  /** When the client asked {@code /restore/next} (SnapStart), in {@link EventOrder}. */
  public OptionalLong restoreRequestedOrder() {
    long order = restoreRequestedOrder;
    return order == 0 ? OptionalLong.empty() : OptionalLong.of(order);
  }

  /** What the client posted to {@code /init/error} (the error JSON), if it did. */
  public Optional<String> initError() {
    return Optional.ofNullable(initError);
  }

  /** What the client posted to {@code /restore/error} (an {@code afterRestore} hook failed). */
  public Optional<String> restoreError() {
    return Optional.ofNullable(restoreError);
  }

  /** Everything the function's JVM printed so far. */
  public String output() {
    try {
      return Files.readString(output, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(output unreadable: " + e + ")";
    }
  }

  /** Stops the function's JVM (continuing it first if it is frozen) and the Runtime API. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    synchronized (signals) {
      if (stopped) {
        try {
          signal("CONT");
        } catch (IOException e) {
          // destroyForcibly below ends it anyway.
        }
        stopped = false;
      }
    }
    Environment current = environment;
    current.extensions.shutdown("the runtime is closed");
    stop(current.process(), Duration.ofSeconds(10));
    server.stop(0);
    executor.shutdownNow(); // interrupts the handlers still waiting for an event
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
          throw new IOException(
              "the runtime interface client's /jni/" + name + " is not on the classpath");
        }
        Path file = Files.createTempFile("baton-aws-lambda-jni-", ".so");
        file.toFile().deleteOnExit();
        Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        nativeLibrary = file;
      }
    }
    return nativeLibrary;
  }

  /**
   * Starts a fresh execution environment: its Extensions API first (the JVM may register as soon
   * as it runs), then the function's JVM, which appends to {@link #output()}.
   */
  private Environment launch() throws IOException {
    Environment env = new Environment();
    environment = env;
    Process process;
    try {
      process = start();
    } catch (IOException | RuntimeException failed) {
      env.process.completeExceptionally(failed);
      throw failed;
    }
    env.process.complete(process);
    process.onExit().thenRun(() -> processExited(env));
    return env;
  }

  private Process start() throws IOException {
    List<String> command = new ArrayList<>();
    command.add(settings.javaHome.resolve("bin").resolve("java").toString());
    if (settings.snapStart) {
      // Lambda's launcher passes it: org.crac hooks then register with the client's own context.
      command.add("-Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac");
    }
    command.addAll(settings.jvmArguments);
    command.add("-D" + NATIVE_LIBRARY_PROPERTY + "=" + nativeLibrary());
    command.add("-cp");
    command.add(settings.classpath);
    command.add("com.amazonaws.services.lambda.runtime.api.client.AWSLambda");
    command.add(settings.handler);
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> environment = builder.environment();
    environment.keySet().removeIf(name ->
        name.startsWith("OTEL_") || name.startsWith("AWS_") || name.equals("_X_AMZN_TRACE_ID"));
    environment.put("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:" + port());
    environment.put("AWS_LAMBDA_FUNCTION_NAME", settings.functionName);
    environment.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
    environment.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512");
    environment.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + settings.functionName);
    environment.put("AWS_LAMBDA_LOG_STREAM_NAME",
        "2024/05/01/[$LATEST]" + UUID.randomUUID().toString().replace("-", ""));
    environment.put(
        "AWS_LAMBDA_INITIALIZATION_TYPE", settings.snapStart ? "snap-start" : "on-demand");
    if (settings.maxConcurrency > 0) {
      environment.put("AWS_LAMBDA_MAX_CONCURRENCY", Integer.toString(settings.maxConcurrency));
    }
    environment.put("AWS_REGION", settings.region);
    environment.put("AWS_DEFAULT_REGION", settings.region);
    environment.put("AWS_EXECUTION_ENV", "AWS_Lambda_java17");
    environment.put("_HANDLER", settings.handler);
    environment.putAll(settings.environment);
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
    return builder.start();
  }

  /** Ends {@code process}: {@code SIGTERM}, then {@code SIGKILL} after {@code grace}. */
  private static void stop(Process process, Duration grace) {
    process.destroy();
    try {
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Environment env = environment;
      String path = exchange.getRequestURI().getPath().substring(BASE.length());
      boolean get = exchange.getRequestMethod().equals("GET");
      byte[] body = exchange.getRequestBody().readAllBytes();
      String text = new String(body, StandardCharsets.UTF_8);
      if (get && path.equals("invocation/next")) {
        next(exchange, env);
      } else if (!get && path.equals("init/error")) {
        initError = text;
        failInFlight("the function reported an init error: " + text);
        respond(exchange, 202, "{\"status\":\"OK\"}");
      } else if (get && path.equals("restore/next") && settings.snapStart) {
        restoreRequestedOrder = EventOrder.next();
        // The snapshot is taken once the init phase ended: extensions too asked for an event.
        if (endPhase(env, restoreRequestedOrder, System.nanoTime())) {
          respond(exchange, 200, "");
        } else {
          respond(exchange, 500, RUNTIME_STOPPED);
        }
      } else if (!get && path.equals("restore/error") && settings.snapStart) {
        restoreError = text;
        failInFlight("the function reported a restore error: " + text);
        respond(exchange, 202, "{\"status\":\"OK\"}");
      } else if (!get && path.matches("invocation/[^/]+/(response|error)")) {
        String[] parts = path.split("/");
        boolean error = parts[2].equals("error");
        String errorType =
            exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type");
        Pending pending = inFlight.remove(parts[1]); // before completing: the id may be reused
        long arrived = System.nanoTime();
        if (settings.freezeBetweenInvocations) {
          freezeDue.set(pending != null ? pending.freeze : new CompletableFuture<>());
        }
        if (pending != null) {
          pending.result.complete(new Result(
              parts[1], error, text, errorType, EventOrder.next(), pending.traceHeader,
              pending.freeze, pending.phaseEnd, pending.handedOverNanos, arrived));
        }
        respond(exchange, 202, "{\"status\":\"OK\"}");
      } else {
        respond(exchange, 404, "{\"errorMessage\":\"unknown path " + path + "\"}");
      }
    }
  }

  private void next(HttpExchange exchange, Environment env) throws IOException {
    if (!endPhase(env, EventOrder.next(), System.nanoTime())) {
      respond(exchange, 500, RUNTIME_STOPPED);
      return;
    }
    CompletableFuture<Long> freeze = freezeDue.getAndSet(null);
    if (freeze != null) {
      freeze(freeze);
    }
    Pending pending;
    try {
      do {
        pending = queue.take();
      } while (pending.result.isDone()); // timed out or cancelled while waiting
    } catch (InterruptedException stopping) {
      Thread.currentThread().interrupt();
      respond(exchange, 500, RUNTIME_STOPPED);
      return;
    }
    try {
      thaw();
    } catch (IOException failed) {
      pending.result.completeExceptionally(
          new IllegalStateException(failed.getMessage() + diagnostics(), failed));
      respond(exchange, 500, RUNTIME_STOPPED);
      return;
    }
    if (closed) {
      respond(exchange, 500, RUNTIME_STOPPED);
      return;
    }
    Invocation invocation = pending.invocation;
    long timeout = settings.invocationTimeout.toMillis();
    long deadlineMs = System.currentTimeMillis() + timeout;
    pending.handedOverNanos = System.nanoTime();
    if (settings.maxConcurrency == 0) {
      pending.deadlineNanos = pending.handedOverNanos + TimeUnit.MILLISECONDS.toNanos(timeout);
      env.invokePhase.set(pending);
    }
    env.extensions.deliver(extensionEvent(pending, deadlineMs));
    var headers = exchange.getResponseHeaders();
    headers.add("Content-Type", "application/json");
    headers.add("Lambda-Runtime-Aws-Request-Id", invocation.requestId);
    headers.add("Lambda-Runtime-Deadline-Ms", Long.toString(deadlineMs));
    headers.add("Lambda-Runtime-Invoked-Function-Arn", settings.invokedArn());
    headers.add("Lambda-Runtime-Trace-Id", pending.traceHeader);
    if (invocation.clientContextJson != null) {
      headers.add("Lambda-Runtime-Client-Context", invocation.clientContextJson);
    }
    respond(exchange, 200, invocation.eventJson);
  }

  /** The {@code INVOKE} event extensions get for {@code pending} ({@code AgentInvokeEvent}). */
  private String extensionEvent(Pending pending, long deadlineMs) {
    String tracing = pending.traceHeader == null || pending.traceHeader.isEmpty()
        ? ""
        : ",\"tracing\":{\"type\":\"X-Amzn-Trace-Id\",\"value\":"
            + MiniJson.quote(pending.traceHeader) + "}";
    return "{\"eventType\":\"INVOKE\",\"deadlineMs\":" + deadlineMs
        + ",\"requestId\":" + MiniJson.quote(pending.invocation.requestId)
        + ",\"invokedFunctionArn\":" + MiniJson.quote(settings.invokedArn())
        + tracing + "}";
  }

  /**
   * Ends the phase that the runtime's {@code next} (or {@code restore/next}) asked at {@code
   * askedOrder} closes, as Lambda does: closes registration; after an invocation, waits until every
   * extension subscribed to {@code INVOKE} asked for its next event too, or the invocation's
   * deadline passed (then resets the environment); before the first event, waits until every
   * registered extension asked for its first one (when one reported an error instead, stops the
   * JVM). Returns whether the runtime may be handed an event: false when the environment was
   * reset, shut down, or failed its init.
   */
  private boolean endPhase(Environment env, long askedOrder, long askedNanos) {
    env.extensions.closeRegistration();
    try {
      Pending invoked = env.invokePhase.getAndSet(null);
      if (invoked != null) {
        LocalExtensionsApi.Outcome outcome =
            env.extensions.awaitInvokePhaseEnd(invoked.deadlineNanos);
        if (!outcome.done()) {
          if (!reset(env, invoked, outcome.failure())) {
            invoked.phaseEnd.completeExceptionally(new IllegalStateException(outcome.failure()));
          }
          return false;
        }
        boolean extensionsLast = outcome.order() > askedOrder;
        invoked.phaseEnd.complete(new PhaseEnd(
            extensionsLast ? outcome.order() : askedOrder,
            extensionsLast ? outcome.nanos() : askedNanos));
      } else if (!env.initDone) {
        if (!env.extensions.awaitInitPhaseEnd().done()) {
          // The invocations were failed when the extension reported its error. Lambda hands the
          // runtime no event after a failed init but shuts the environment down; so does this
          // (answering the client's next with an error instead crashes its native client).
          stop(env.process(), SHUTDOWN_LIMIT);
          return false;
        }
        env.initDone = true;
      }
      return true;
    } catch (InterruptedException stopping) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Resets the execution environment after {@code invoked}, as Lambda does when its invoke phase
   * outlives the deadline or an extension reported an exit error: stops the JVM without freezing
   * it and starts a fresh one. Returns false when there was nothing to reset (closed, or the JVM
   * had exited on its own).
   */
  private synchronized boolean reset(Environment env, Pending invoked, String why) {
    if (closed || env.exited || env != environment) {
      return false;
    }
    env.reset = true;
    String message = "Lambda reset the execution environment after " + invoked.invocation.requestId
        + ": " + why + "; the next invocation starts a fresh JVM";
    env.extensions.shutdown(message);
    CompletableFuture<Long> freeze = freezeDue.getAndSet(null);
    synchronized (signals) {
      if (stopped) {
        try {
          signal("CONT");
        } catch (IOException e) {
          // SIGKILL below ends it anyway.
        }
        stopped = false;
      }
    }
    stop(env.process(), SHUTDOWN_LIMIT);
    resets.incrementAndGet();
    try {
      Files.writeString(output, "\n--- LocalLambdaRuntime: " + message + " ---\n",
          StandardCharsets.UTF_8, StandardOpenOption.APPEND);
      launch();
    } catch (IOException failed) {
      relaunchError = failed.toString();
      failInFlight("could not start a fresh JVM after a reset: " + failed);
    }
    IllegalStateException failure = new EnvironmentReset(message);
    if (freeze != null) {
      freeze.completeExceptionally(failure);
    }
    invoked.freeze.completeExceptionally(failure);
    invoked.phaseEnd.completeExceptionally(failure);
    return true;
  }

  /** Records an extension's error report; one during the init phase fails the init. */
  private void extensionError(Environment env, ExtensionError error) {
    extensionErrors.add(error);
    if (error.path().equals("init/error") || !env.initDone) {
      extensionInitError = error.extensionName() + " " + error.path() + " "
          + error.errorType() + ": " + error.body();
      failInFlight("an extension reported an init error: " + extensionInitError);
    }
  }

  /** Stops the JVM, records when in {@code record}, and returns once it is stopped. */
  private void freeze(CompletableFuture<Long> record) {
    synchronized (signals) {
      if (closed || !environment.process().isAlive()) {
        return;
      }
      try {
        signal("STOP");
        awaitStopped();
        stopped = true;
      } catch (IOException failed) {
        record.completeExceptionally(failed);
        return;
      }
    }
    freezes.incrementAndGet();
    record.complete(EventOrder.next());
  }

  private void thaw() throws IOException {
    synchronized (signals) {
      if (stopped) {
        signal("CONT");
        stopped = false;
      }
    }
  }

  /** Sends {@code SIG<name>} to the function's JVM with {@code kill}; returns once it is sent. */
  private void signal(String name) throws IOException {
    Process process = environment.process();
    Process kill =
        new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
            .redirectErrorStream(true)
            .start();
    try {
      String said = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!kill.waitFor(30, TimeUnit.SECONDS)) {
        kill.destroyForcibly();
        throw new IOException("kill -" + name + " " + process.pid() + " did not finish");
      }
      if (kill.exitValue() != 0 && process.isAlive()) {
        throw new IOException("kill -" + name + " " + process.pid() + " failed: " + said);
      }
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      kill.destroyForcibly();
      throw new IOException("interrupted while sending SIG" + name, interrupted);
    }
  }

  /**
   * Waits until every thread of the JVM has stopped (state {@code T} in {@code /proc/<pid>/stat}),
   * so that nothing it does after a freeze is recorded can precede it. Without {@code /proc}
   * (macOS) {@code kill} returning has to do.
   */
  private void awaitStopped() throws IOException {
    Process process = environment.process();
    Path stat = Path.of("/proc", Long.toString(process.pid()), "stat");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline && process.isAlive()) {
      String line;
      try {
        line = Files.readString(stat, StandardCharsets.US_ASCII);
      } catch (NoSuchFileException noProc) {
        return;
      }
      char state = line.charAt(line.lastIndexOf(')') + 2);
      if (state == 'T') {
        return;
      }
      try {
        TimeUnit.MILLISECONDS.sleep(1);
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for the JVM to stop", interrupted);
      }
    }
    if (process.isAlive()) {
      throw new IOException("the function's JVM " + process.pid() + " did not stop after SIGSTOP");
    }
  }

  /**
   * A well-formed Lambda X-Ray header: a fresh trace (epoch seconds, 96 random bits), a random
   * parent, and the sampling decision Lambda makes without ({@code 0}) or with active tracing.
   */
  static String traceHeader(boolean sampled) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    byte[] root = new byte[12];
    byte[] parent = new byte[8];
    random.nextBytes(root);
    random.nextBytes(parent);
    return String.format("Root=1-%08x-%s;Parent=%s;Sampled=%d",
        System.currentTimeMillis() / 1000, HEX.formatHex(root), HEX.formatHex(parent),
        sampled ? 1 : 0);
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private String notRunning() {
    if (closed) {
      return "the runtime is closed";
    }
    if (relaunchError != null) {
      return "the function's JVM is not running: no fresh JVM could be started after a reset: "
          + relaunchError;
    }
    // What it reported explains an exit that follows (the client exits after these errors).
    if (initError != null) {
      return "the function's JVM is not running: it reported an init error: " + initError;
    }
    if (extensionInitError != null) {
      return "the function's JVM is not running: an extension reported an init error: "
          + extensionInitError;
    }
    if (restoreError != null) {
      return "the function's JVM is not running: it reported a restore error: " + restoreError;
    }
    Environment env = environment;
    Process process = env.process();
    if (!env.reset && !process.isAlive()) { // during a reset a fresh JVM is on its way
      return "the function's JVM is not running (exit code " + process.exitValue() + ")";
    }
    return null;
  }

  /** The JVM of {@code env} exited: unless Lambda reset it on purpose, everything waiting fails. */
  private void processExited(Environment env) {
    if (env.reset || env != environment) {
      return;
    }
    env.exited = true;
    String message = "the function's JVM exited with " + env.process().exitValue();
    env.extensions.shutdown(message);
    failInFlight(message);
    IllegalStateException failure = new IllegalStateException(message);
    CompletableFuture<Long> freeze = freezeDue.getAndSet(null);
    if (freeze != null) {
      freeze.completeExceptionally(failure);
    }
    Pending invoked = env.invokePhase.getAndSet(null);
    if (invoked != null) {
      invoked.phaseEnd.completeExceptionally(failure);
    }
  }

  private void failInFlight(String message) {
    if (inFlight.isEmpty()) {
      return;
    }
    IllegalStateException failure = new IllegalStateException(message + diagnostics());
    for (Pending pending : List.copyOf(inFlight.values())) {
      if (inFlight.remove(pending.invocation.requestId, pending)) {
        pending.result.completeExceptionally(failure);
      }
    }
  }

  private String diagnostics() {
    String text = output();
    String tail = text.length() > 4000 ? text.substring(text.length() - 4000) : text;
    return "\n--- function output (" + output + ") ---\n" + tail;
  }

  /**
   * One execution environment: the function's JVM (set once started) and the Extensions API its
   * extensions registered with. A reset replaces it.
   */
  private final class Environment {
    final LocalExtensionsApi extensions = new LocalExtensionsApi(
        settings.extensionsApi, settings.maxConcurrency > 0, settings.functionName,
        settings.handler, error -> extensionError(this, error));

    {
      if (settings.extensionRegistrationClosed) {
        extensions.closeRegistration();
      }
    }

    final CompletableFuture<Process> process = new CompletableFuture<>();
    /** Classic mode: the invocation handed over last, until the runtime asks for the next event. */
    final AtomicReference<Pending> invokePhase = new AtomicReference<>();
    volatile boolean initDone;
    volatile boolean reset;
    volatile boolean exited;

    Process process() {
      return process.join();
    }
  }

  /** Why an invoke phase ended without its extensions: Lambda reset the environment. */
  private static final class EnvironmentReset extends IllegalStateException {
    EnvironmentReset(String message) {
      super(message);
    }
  }

  /** When an invoke phase ended, in {@link EventOrder} and {@link System#nanoTime()}. */
  private record PhaseEnd(long order, long nanos) {}

  /** An invocation queued or running, and the trace header it is sent with. */
  private static final class Pending {
    final Invocation invocation;
    final String traceHeader;
    final CompletableFuture<Result> result = new CompletableFuture<>();
    final CompletableFuture<Long> freeze = new CompletableFuture<>();
    final CompletableFuture<PhaseEnd> phaseEnd = new CompletableFuture<>();
    /** When the runtime was handed the event ({@link System#nanoTime()}). */
    volatile long handedOverNanos;
    /** Classic mode: when its invoke phase must have ended ({@link System#nanoTime()}). */
    volatile long deadlineNanos;

    Pending(Invocation invocation, String traceHeader) {
      this.invocation = invocation;
      this.traceHeader = traceHeader;
    }
  }

  /**
   * An internal extension registered with the Extensions API: its {@code Lambda-Extension-Name},
   * its {@code Lambda-Extension-Identifier}, the events it subscribed to, and when it registered,
   * in {@link EventOrder}.
   */
  public record Extension(String name, String id, List<String> events, long registeredOrder) {}

  /**
   * What an extension posted to {@code /2020-01-01/extension/init/error} or {@code /exit/error}
   * ({@code path}): its {@code Lambda-Extension-Function-Error-Type}, the body, and when, in {@link
   * EventOrder}.
   */
  public record ExtensionError(
      String extensionName, String path, String errorType, String body, long order) {}

  /** One event to send, with the headers Lambda would add. */
  public static final class Invocation {
    final String requestId;
    final String eventJson;
    final String traceHeader;
    final String clientContextJson;

    private Invocation(
        String requestId, String eventJson, String traceHeader, String clientContextJson) {
      this.requestId = requestId;
      this.eventJson = eventJson;
      this.traceHeader = traceHeader;
      this.clientContextJson = clientContextJson;
    }

    /**
     * With {@code Lambda-Runtime-Trace-Id} (X-Ray format); by default a fresh one per invocation,
     * unsampled unless {@link Builder#activeTracing} is on.
     */
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
    private final String traceHeader;
    final CompletableFuture<Long> freeze;
    final CompletableFuture<PhaseEnd> phaseEnd;
    private final long handedOverNanos;
    private final long arrivedNanos;

    Result(String requestId, boolean error, String body, String errorType, long order,
        String traceHeader, CompletableFuture<Long> freeze, CompletableFuture<PhaseEnd> phaseEnd,
        long handedOverNanos, long arrivedNanos) {
      this.requestId = requestId;
      this.error = error;
      this.body = body;
      this.errorType = errorType;
      this.order = order;
      this.traceHeader = traceHeader;
      this.freeze = freeze;
      this.phaseEnd = phaseEnd;
      this.handedOverNanos = handedOverNanos;
      this.arrivedNanos = arrivedNanos;
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

    /** The {@code Lambda-Runtime-Trace-Id} header this invocation was sent with. */
    public String traceHeader() {
      return traceHeader;
    }

    /**
     * When the JVM was frozen after this invocation, in {@link EventOrder}; empty without {@link
     * Builder#freezeBetweenInvocations} and until the client has asked for the next event (see
     * {@link LocalLambdaRuntime#awaitFreeze}).
     */
    public OptionalLong frozenOrder() {
      Long order = freeze.isDone() && !freeze.isCompletedExceptionally() ? freeze.join() : null;
      return order == null ? OptionalLong.empty() : OptionalLong.of(order);
    }

    /**
     * How long the runtime took from being handed this event to posting this result: what the
     * caller waits for, less the network. What extensions do after the response is not in it (see
     * {@link #extensionsDoneAfterResponse()}).
     */
    public Duration runtimeDuration() {
      return Duration.ofNanos(Math.max(0, arrivedNanos - handedOverNanos));
    }

    /**
     * When this invocation's invoke phase ended, in {@link EventOrder}: when the last of the
     * runtime and the extensions subscribed to {@code INVOKE} asked for its next event (with no
     * extension, when the runtime asked). Lambda freezes the environment only after it. Empty
     * until then (see {@link LocalLambdaRuntime#awaitExtensionsDone}), when Lambda reset the
     * environment instead, and on Lambda Managed Instances.
     */
    public OptionalLong extensionsDoneOrder() {
      PhaseEnd end = phaseEnd();
      return end == null ? OptionalLong.empty() : OptionalLong.of(end.order());
    }

    /**
     * How long after this response arrived its invoke phase ended: the time the extensions (and
     * the runtime's own way back to {@code next}) added to the billed duration but not to the
     * caller's wait; Lambda's {@code PostRuntimeExecutionDuration} metric is this less the
     * runtime's part. Empty while {@link #extensionsDoneOrder()} is.
     */
    public Optional<Duration> extensionsDoneAfterResponse() {
      PhaseEnd end = phaseEnd();
      return end == null
          ? Optional.empty()
          : Optional.of(Duration.ofNanos(Math.max(0, end.nanos() - arrivedNanos)));
    }

    /**
     * Why Lambda reset the execution environment after this invocation instead of ending its
     * invoke phase (an extension did not ask for its next event by the deadline, or reported an
     * exit error); empty when it did not (yet).
     */
    public Optional<String> environmentReset() {
      if (!phaseEnd.isCompletedExceptionally()) {
        return Optional.empty();
      }
      try {
        phaseEnd.join();
        return Optional.empty();
      } catch (CompletionException failed) {
        return failed.getCause() instanceof EnvironmentReset reset
            ? Optional.of(reset.getMessage())
            : Optional.empty();
      }
    }

    private PhaseEnd phaseEnd() {
      return phaseEnd.isDone() && !phaseEnd.isCompletedExceptionally() ? phaseEnd.join() : null;
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
    private Path javaHome = Path.of(System.getProperty("java.home"));
    private String functionName = "baton-test-function";
    private String region = TestLambdaContext.REGION;
    private Duration invocationTimeout = Duration.ofSeconds(60);
    private int maxConcurrency;
    private boolean activeTracing;
    private boolean freezeBetweenInvocations;
    private boolean snapStart;
    private boolean extensionsApi = true;
    private boolean extensionRegistrationClosed;
    private final List<String> jvmArguments = new ArrayList<>(List.of(
        "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto"));
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

    /**
     * How long an invocation may take from being queued to its result (generous: 60 s by
     * default); also what {@code Lambda-Runtime-Deadline-Ms} says, from when the event is sent.
     */
    public Builder invocationTimeout(Duration timeout) {
      this.invocationTimeout = timeout;
      return this;
    }

    /**
     * Runs the function as on Lambda Managed Instances: {@code AWS_LAMBDA_MAX_CONCURRENCY=n}, and
     * the client runs {@code n} threads that each ask for events, so up to {@code n} invocations
     * (sent with {@link #invokeAsync}) run at once. In this mode the client sets no {@code
     * com.amazonaws.xray.traceHeader} system property: each invocation's header is in {@code
     * Context.getXrayTraceId()} (and the AWS SDK's {@code SdkInternalThreadLocal}) instead. Even
     * {@code n = 1} selects this mode.
     */
    public Builder maxConcurrency(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("maxConcurrency must be at least 1, not " + n);
      }
      this.maxConcurrency = n;
      return this;
    }

    /**
     * Whether the function has active tracing, so the headers generated for invocations say {@code
     * Sampled=1}; off by default, where Lambda sends {@code Sampled=0}.
     */
    public Builder activeTracing(boolean active) {
      this.activeTracing = active;
      return this;
    }

    /**
     * Stops the function's JVM ({@code SIGSTOP}, with the {@code kill} command) after each
     * invocation once the client has asked for the next event, and continues it ({@code SIGCONT})
     * just before handing it the next one, as Lambda freezes an execution environment between
     * invocations. Classic mode only (not with {@link #maxConcurrency}); Linux or macOS. See
     * {@link Result#frozenOrder()} and {@link LocalLambdaRuntime#awaitFreeze}.
     */
    public Builder freezeBetweenInvocations(boolean freeze) {
      this.freezeBetweenInvocations = freeze;
      return this;
    }

    /**
     * Starts the function as SnapStart does: {@code AWS_LAMBDA_INITIALIZATION_TYPE=snap-start}
     * and {@code -Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac}, so that the client
     * runs the {@code org.crac} hooks around {@code /restore/next} (see {@link
     * LocalLambdaRuntime#restoreRequestedOrder()} and {@link LocalLambdaRuntime#restoreError()}).
     */
    public Builder snapStart(boolean snapStart) {
      this.snapStart = snapStart;
      return this;
    }

    /**
     * Whether the Extensions API answers (on by default: a function that registers an extension
     * gets Lambda's lifecycle for it). Off, every {@code /2020-01-01/extension/} request is
     * answered 404 with no body, as Lambda's API server does when extensions are disabled for the
     * function ({@code middleware.AllowIfExtensionsEnabled} in the runtime interface emulator).
     */
    public Builder extensionsApi(boolean enabled) {
      this.extensionsApi = enabled;
      return this;
    }

    /**
     * Whether extension registration is closed from the start (off by default): every {@code
     * register} is refused with 403 {@code Extension.RegistrationClosed}, as Lambda refuses an
     * extension that registers only after the runtime first asked for an event.
     */
    public Builder extensionRegistrationClosed(boolean closed) {
      this.extensionRegistrationClosed = closed;
      return this;
    }

    /** An environment variable of the function (set after Lambda's own, so it can override). */
    public Builder environment(String name, String value) {
      environment.put(name, value);
      return this;
    }

    /** The JDK the function runs on; by default this JVM's ({@code java.home}). */
    public Builder javaHome(Path home) {
      this.javaHome = home;
      return this;
    }

    /** An extra JVM argument, such as {@code -Dotel.traces.exporter=otlp}. */
    public Builder jvmArgument(String argument) {
      jvmArguments.add(argument);
      return this;
    }

    String invokedArn() {
      return "arn:aws:lambda:" + region + ":" + TestLambdaContext.ACCOUNT_ID + ":function:"
          + functionName;
    }

    /**
     * Starts the Runtime API and the function's JVM.
     *
     * @throws IllegalStateException for {@link #freezeBetweenInvocations} together with {@link
     *     #maxConcurrency} (Lambda does not freeze a multi-concurrent environment between
     *     invocations), or on Windows
     */
    public LocalLambdaRuntime start() {
      if (freezeBetweenInvocations && maxConcurrency > 0) {
        throw new IllegalStateException(
            "freezeBetweenInvocations is for one invocation at a time: not with maxConcurrency");
      }
      if (freezeBetweenInvocations && System.getProperty("os.name").startsWith("Windows")) {
        throw new IllegalStateException("freezeBetweenInvocations needs kill -STOP (Linux, macOS)");
      }
      try {
        return new LocalLambdaRuntime(this);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
