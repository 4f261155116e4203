package dev.baton.testing;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>Lambda's Extensions API (version {@code 2020-01-01}) for one execution environment of a {@link
 * LocalLambdaRuntime}, for <em>internal</em> extensions: threads in the function's own JVM. Every
 * status, error type and message below is the one of Lambda's own API server, as its runtime
 * interface emulator ({@code aws/aws-lambda-runtime-interface-emulator}, read at commit {@code
 * 4fa2157}) implements it in {@code internal/lambda/rapi} ({@code router.go}, {@code
 * handler/agentregister.go}, {@code agentnext.go}, {@code agentiniterror.go}, {@code
 * agentexiterror.go}, {@code handler/constants.go}, {@code rendering/}) and {@code
 * internal/lambda/core} ({@code internalagent.go}, {@code internalagent_states.go}, {@code
 * registrations.go}); the AWS documentation ("Lambda Extensions API", "Lambda execution
 * environment") says the same in prose, except that it lists 400 where the server answers 403.
 * Only the wording of JSON syntax errors (Go's decoder words them its own way) and of the 500
 * answered to a waiting {@code next} when the environment ends (the documentation's "Container
 * error") are this class's own.
 *
 * <ul>
 *   <li>{@code POST register} ({@code Lambda-Extension-Name}, body {@code {"events":[...]}})
 *       answers 200 with {@code Lambda-Extension-Identifier} (a UUID) and {@code
 *       {"functionName","functionVersion","handler"}}, with {@code accountId} first when {@code
 *       Lambda-Extension-Accept-Feature} lists {@code accountId}. Refused with 403: an empty name
 *       ({@code Extension.InvalidExtensionName}); a body that is not a JSON object, or that has
 *       {@code configurationKeys} ({@code InvalidRequestFormat}); {@code SHUTDOWN}, which an
 *       internal extension may not subscribe to ({@code Extension.InvalidEventType}, "SHUTDOWN:
 *       ShutdownEventNotSupportedForInternalExtension"), or an unknown event; on Lambda Managed
 *       Instances any event at all ("No events allowed for internal extensions",
 *       {@code internal/lambda-managed-instances/rapi/handler/agentregister.go}); once the runtime
 *       has asked for its first event ({@code Extension.RegistrationClosed}, "Extension
 *       registration closed already"); an eleventh extension ({@code Extension.TooManyExtensions});
 *       a name taken ({@code Extension.InvalidExtensionState}). Events are checked before whether
 *       registration is still open, as Lambda does.
 *   <li>{@code GET event/next} ({@code Lambda-Extension-Identifier}) marks the extension ready and
 *       blocks until {@link #deliver} hands it the next {@code INVOKE} event; 200 with {@code
 *       Lambda-Extension-Event-Identifier} (a fresh UUID) and the event JSON. A missing, malformed
 *       or unknown identifier is 403 ({@code Extension.MissingExtensionIdentifier}, {@code
 *       .InvalidExtensionIdentifier}, {@code .UnknownExtensionIdentifier}), and so is a second
 *       {@code next} while one waits, or one after an error report ({@code
 *       Extension.InvalidExtensionState}, "State transition from Ready to Ready failed ...").
 *   <li>{@code POST init/error} and {@code exit/error} need {@code
 *       Lambda-Extension-Function-Error-Type} (else 403 {@code Extension.MissingHeader}), answer
 *       202 {@code {"status":"OK"}}, and put the extension in a final state; an init error is
 *       allowed only before its first {@code next}. They are reported to the runtime, which
 *       decides what Lambda does about them.
 * </ul>
 *
 * <p>When the whole API is disabled, as Lambda disables extensions for a function ({@code
 * middleware.AllowIfExtensionsEnabled}, {@code extensions.DisableViaMagicLayer}), every request is
 * answered 404 with no body.
 */
final class LocalExtensionsApi {

  static final String BASE = "/2020-01-01/extension/";
  static final String INVOKE = "INVOKE";
  static final String SHUTDOWN = "SHUTDOWN";
  /** {@code core.MaxAgentsAllowed}. */
  static final int MAX_EXTENSIONS = 10;

  static final String NAME_HEADER = "Lambda-Extension-Name";
  static final String IDENTIFIER_HEADER = "Lambda-Extension-Identifier";
  static final String FEATURES_HEADER = "Lambda-Extension-Accept-Feature";
  static final String ERROR_TYPE_HEADER = "Lambda-Extension-Function-Error-Type";
  static final String EVENT_IDENTIFIER_HEADER = "Lambda-Extension-Event-Identifier";

  static final String INVALID_NAME = "Extension.InvalidExtensionName";
  static final String REGISTRATION_CLOSED = "Extension.RegistrationClosed";
  static final String UNKNOWN_IDENTIFIER = "Extension.UnknownExtensionIdentifier";
  static final String MISSING_IDENTIFIER = "Extension.MissingExtensionIdentifier";
  static final String INVALID_IDENTIFIER = "Extension.InvalidExtensionIdentifier";
  static final String INVALID_STATE = "Extension.InvalidExtensionState";
  static final String MISSING_HEADER = "Extension.MissingHeader";
  static final String TOO_MANY_EXTENSIONS = "Extension.TooManyExtensions";
  static final String INVALID_EVENT_TYPE = "Extension.InvalidEventType";
  static final String INVALID_REQUEST_FORMAT = "InvalidRequestFormat";
  /** This class's own: the environment ended while an extension waited for its next event. */
  static final String CONTAINER_ERROR = "Extension.ContainerError";

  private static final Pattern CANONICAL_UUID = Pattern.compile(
      "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  /** The internal agent states of {@code core/agent_state_names.go}. */
  private enum State {
    REGISTERED("Registered"),
    READY("Ready"),
    RUNNING("Running"),
    INIT_ERROR("InitError"),
    EXIT_ERROR("ExitError");

    final String label;

    State(String label) {
      this.label = label;
    }
  }

  /** One registered extension. All fields but the first four are guarded by {@code lock}. */
  private static final class Agent {
    final String name;
    final UUID id;
    final List<String> events;
    final long registeredOrder;
    State state = State.REGISTERED;
    /** The event its waiting {@code next} will answer with; set while {@code READY}. */
    CompletableFuture<String> event;
    long readyOrder;
    long readyNanos;

    Agent(String name, UUID id, List<String> events, long registeredOrder) {
      this.name = name;
      this.id = id;
      this.events = events;
      this.registeredOrder = registeredOrder;
    }

    boolean invoke() {
      return events.contains(INVOKE);
    }

    boolean failed() {
      return state == State.INIT_ERROR || state == State.EXIT_ERROR;
    }
  }

  /**
   * How waiting for the runtime's companions ended: all ready (when the last of them asked, in
   * {@link EventOrder} and {@link System#nanoTime()}; order 0 when none was waited for), or why
   * not.
   */
  record Outcome(boolean done, long order, long nanos, String failure) {
    static Outcome ready(long order, long nanos) {
      return new Outcome(true, order, nanos, null);
    }

    static Outcome failed(String why) {
      return new Outcome(false, 0, 0, why);
    }
  }

  private final boolean enabled;
  private final boolean managedInstances;
  private final String functionName;
  private final String handler;
  private final Consumer<LocalLambdaRuntime.ExtensionError> errors;

  private final Object lock = new Object();
  private final Map<UUID, Agent> agents = new LinkedHashMap<>(); // guarded by lock
  private boolean registrationOpen = true; // guarded by lock
  private String shutDown; // guarded by lock: why, once shut down

  LocalExtensionsApi(boolean enabled, boolean managedInstances, String functionName,
      String handler, Consumer<LocalLambdaRuntime.ExtensionError> errors) {
    this.enabled = enabled;
    this.managedInstances = managedInstances;
    this.functionName = functionName;
    this.handler = handler;
    this.errors = errors;
  }

  /** Serves one request under {@link #BASE}; may block (a {@code next} waits for its event). */
  void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      if (!enabled) {
        respond(exchange, 404, "");
        return;
      }
      String path = exchange.getRequestURI().getPath().substring(BASE.length());
      String method = exchange.getRequestMethod();
      switch (path) {
        case "register" -> {
          if (method.equals("POST")) {
            register(exchange, new String(body, StandardCharsets.UTF_8));
          } else {
            respond(exchange, 405, "");
          }
        }
        case "event/next" -> {
          if (method.equals("GET")) {
            next(exchange);
          } else {
            respond(exchange, 405, "");
          }
        }
        case "init/error", "exit/error" -> {
          if (method.equals("POST")) {
            error(exchange, path, new String(body, StandardCharsets.UTF_8));
          } else {
            respond(exchange, 405, "");
          }
        }
        default -> respond(exchange, 404, "");
      }
    }
  }

  /** Closes registration: Lambda does when the runtime first asks for an event. */
  void closeRegistration() {
    synchronized (lock) {
      registrationOpen = false;
    }
  }

  /**
   * Waits until every registered extension has asked for its first event, which ends Lambda's
   * init phase together with the runtime's first {@code next} ({@code rapid/handlers.go}: {@code
   * registrationService.TurnOff()}, then {@code initFlow.AwaitAgentsReady()}). Fails when one
   * reported an error instead. No deadline: an extension that never asks holds the init phase.
   */
  Outcome awaitInitPhaseEnd() throws InterruptedException {
    synchronized (lock) {
      while (true) {
        if (shutDown != null) {
          return Outcome.failed(shutDown);
        }
        Outcome outcome = readiness(List.copyOf(agents.values()));
        if (outcome != null) {
          return outcome;
        }
        lock.wait();
      }
    }
  }

  /**
   * Waits until every extension subscribed to {@code INVOKE} has asked for its next event since
   * the last {@link #deliver}, which ends the invoke phase together with the runtime's {@code next}
   * ({@code rapid/handlers.go} {@code doInvoke}: {@code invokeFlow.AwaitAgentsReady()}), or until
   * {@code deadlineNanos} ({@link System#nanoTime()}): the function's timeout bounds the whole
   * phase. Fails at the deadline, or when an extension reported an exit error.
   */
  Outcome awaitInvokePhaseEnd(long deadlineNanos) throws InterruptedException {
    synchronized (lock) {
      while (true) {
        if (shutDown != null) {
          return Outcome.failed(shutDown);
        }
        for (Agent agent : agents.values()) {
          if (agent.failed()) {
            return failure(agent);
          }
        }
        List<Agent> subscribed = agents.values().stream().filter(Agent::invoke).toList();
        Outcome outcome = readiness(subscribed);
        if (outcome != null) {
          return outcome;
        }
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
          List<String> late = subscribed.stream()
              .filter(agent -> agent.state != State.READY)
              .map(agent -> "'" + agent.name + "'")
              .toList();
          return Outcome.failed("extension " + String.join(", ", late)
              + " did not ask for its next event by the invocation's deadline");
        }
        TimeUnit.NANOSECONDS.timedWait(lock, left);
      }
    }
  }

  /** Whether all of {@code waitedFor} are ready (an outcome), failed (one), or neither (null). */
  private static Outcome readiness(List<Agent> waitedFor) {
    long order = 0;
    long nanos = 0;
    boolean allReady = true;
    boolean first = true;
    for (Agent agent : waitedFor) {
      if (agent.failed()) {
        return failure(agent);
      }
      if (agent.state == State.READY) {
        order = Math.max(order, agent.readyOrder);
        nanos = first || agent.readyNanos - nanos > 0 ? agent.readyNanos : nanos;
        first = false;
      } else {
        allReady = false;
      }
    }
    return allReady ? Outcome.ready(order, nanos) : null;
  }

  private static Outcome failure(Agent agent) {
    return Outcome.failed("extension '" + agent.name + "' reported "
        + (agent.state == State.INIT_ERROR ? "an init error" : "an exit error"));
  }

  /** Hands {@code eventJson} to every extension subscribed to {@code INVOKE} (all are waiting). */
  void deliver(String eventJson) {
    synchronized (lock) {
      for (Agent agent : agents.values()) {
        if (agent.invoke() && agent.state == State.READY) {
          agent.state = State.RUNNING;
          agent.event.complete(eventJson);
        }
      }
    }
  }

  /** Ends this environment: waiting requests are answered 500, waits fail with {@code why}. */
  void shutdown(String why) {
    synchronized (lock) {
      if (shutDown != null) {
        return;
      }
      shutDown = why;
      registrationOpen = false;
      for (Agent agent : agents.values()) {
        if (agent.event != null) {
          agent.event.completeExceptionally(new IllegalStateException(why));
        }
      }
      lock.notifyAll();
    }
  }

  /** The extensions registered so far, in the order they registered. */
  List<LocalLambdaRuntime.Extension> registered() {
    synchronized (lock) {
      List<LocalLambdaRuntime.Extension> list = new ArrayList<>();
      for (Agent agent : agents.values()) {
        list.add(new LocalLambdaRuntime.Extension(
            agent.name, agent.id.toString(), agent.events, agent.registeredOrder));
      }
      return list;
    }
  }

  private void register(HttpExchange exchange, String body) throws IOException {
    String name = exchange.getRequestHeaders().getFirst(NAME_HEADER);
    if (name == null || name.isEmpty()) {
      forbidden(exchange, INVALID_NAME, "Empty extension name");
      return;
    }
    boolean accountId = false;
    String features = exchange.getRequestHeaders().getFirst(FEATURES_HEADER);
    for (String feature : features == null ? new String[0] : features.split(",")) {
      accountId |= feature.trim().equals("accountId");
    }
    List<String> events;
    try {
      events = events(body);
    } catch (IllegalArgumentException malformed) {
      forbidden(exchange, INVALID_REQUEST_FORMAT, malformed.getMessage());
      return;
    }
    if (managedInstances && !events.isEmpty()) {
      forbidden(exchange, INVALID_EVENT_TYPE, "No events allowed for internal extensions");
      return;
    }
    for (String event : events) {
      if (event.equals(SHUTDOWN)) {
        forbidden(exchange, INVALID_EVENT_TYPE,
            event + ": ShutdownEventNotSupportedForInternalExtension");
        return;
      } else if (!event.equals(INVOKE)) {
        forbidden(exchange, INVALID_EVENT_TYPE, event + ": ErrorInvalidEventType");
        return;
      }
    }
    Agent agent;
    synchronized (lock) {
      if (!registrationOpen) {
        forbidden(exchange, REGISTRATION_CLOSED, "Extension registration closed already");
        return;
      }
      if (agents.size() >= MAX_EXTENSIONS) {
        forbidden(exchange, TOO_MANY_EXTENSIONS,
            "Extension limit (" + MAX_EXTENSIONS + ") reached");
        return;
      }
      if (agents.values().stream().anyMatch(registered -> registered.name.equals(name))) {
        forbidden(exchange, INVALID_STATE, "Extension with this name already registered");
        return;
      }
      agent = new Agent(
          name, UUID.randomUUID(), List.copyOf(new LinkedHashSet<>(events)),
          EventOrder.next());
      agents.put(agent.id, agent);
    }
    exchange.getResponseHeaders().add(IDENTIFIER_HEADER, agent.id.toString());
    String response = "{"
        + (accountId ? "\"accountId\":" + MiniJson.quote(TestLambdaContext.ACCOUNT_ID) + "," : "")
        + "\"functionName\":" + MiniJson.quote(functionName)
        + ",\"functionVersion\":\"$LATEST\""
        + ",\"handler\":" + MiniJson.quote(handler)
        + "}\n";
    json(exchange, 200, response);
  }

  /** The {@code events} of a register body, as {@code agentregister.go parseRegister} reads it. */
  private static List<String> events(String body) {
    if (!(MiniJson.parse(body) instanceof Map<?, ?> request)) {
      throw new IllegalArgumentException(
          "json: cannot unmarshal a non-object into the register request");
    }
    if (request.get("configurationKeys") instanceof List<?> keys && !keys.isEmpty()) {
      throw new IllegalArgumentException(
          "configurationKeys are deprecated; use environment variables instead");
    }
    Object events = request.get("events");
    if (events == null) {
      return List.of();
    }
    if (!(events instanceof List<?> list)) {
      throw new IllegalArgumentException("json: events must be an array of strings");
    }
    List<String> names = new ArrayList<>();
    for (Object event : list) {
      if (!(event instanceof String text)) {
        throw new IllegalArgumentException("json: events must be an array of strings");
      }
      names.add(text);
    }
    return names;
  }

  private void next(HttpExchange exchange) throws IOException {
    Agent agent = identify(exchange);
    if (agent == null) {
      return;
    }
    CompletableFuture<String> event = new CompletableFuture<>();
    synchronized (lock) {
      if (shutDown != null) {
        json(exchange, 500, error(CONTAINER_ERROR, shutDown));
        return;
      }
      if (agent.state != State.REGISTERED && agent.state != State.RUNNING) {
        forbidden(exchange, INVALID_STATE, transitionFailed(agent, "Ready"));
        return;
      }
      agent.state = State.READY;
      agent.readyOrder = EventOrder.next();
      agent.readyNanos = System.nanoTime();
      agent.event = event;
      lock.notifyAll();
    }
    String eventJson;
    try {
      eventJson = event.get();
    } catch (InterruptedException stopping) {
      Thread.currentThread().interrupt();
      json(exchange, 500, error(CONTAINER_ERROR, "runtime stopped"));
      return;
    } catch (ExecutionException ended) {
      json(exchange, 500, error(CONTAINER_ERROR, ended.getCause().getMessage()));
      return;
    }
    exchange.getResponseHeaders().add(EVENT_IDENTIFIER_HEADER, UUID.randomUUID().toString());
    json(exchange, 200, eventJson);
  }

  private void error(HttpExchange exchange, String path, String body) throws IOException {
    String raw = identifier(exchange);
    if (raw == null) {
      return;
    }
    String errorType = exchange.getRequestHeaders().getFirst(ERROR_TYPE_HEADER);
    if (errorType == null || errorType.isEmpty()) {
      forbidden(exchange, MISSING_HEADER, ERROR_TYPE_HEADER + " not found");
      return;
    }
    boolean init = path.equals("init/error");
    Agent agent;
    synchronized (lock) {
      agent = agents.get(UUID.fromString(raw));
      if (agent == null) {
        forbidden(exchange, UNKNOWN_IDENTIFIER, "Unknown " + IDENTIFIER_HEADER);
        return;
      }
      boolean allowed = init
          ? agent.state == State.REGISTERED || agent.state == State.INIT_ERROR
          : agent.state != State.INIT_ERROR;
      if (!allowed) {
        forbidden(exchange, INVALID_STATE, transitionFailed(agent, init ? "InitError" : "Exited"));
        return;
      }
      agent.state = init ? State.INIT_ERROR : State.EXIT_ERROR;
      lock.notifyAll();
    }
    errors.accept(new LocalLambdaRuntime.ExtensionError(
        agent.name, path, errorType, body, EventOrder.next()));
    json(exchange, 202, "{\"status\":\"OK\"}\n");
  }

  /** The extension a request names, or null once a 403 was sent. */
  private Agent identify(HttpExchange exchange) throws IOException {
    String raw = identifier(exchange);
    if (raw == null) {
      return null;
    }
    Agent agent;
    synchronized (lock) {
      agent = agents.get(UUID.fromString(raw));
    }
    if (agent == null) {
      forbidden(exchange, UNKNOWN_IDENTIFIER, "Unknown extension " + raw.toLowerCase());
    }
    return agent;
  }

  /** A well-formed {@code Lambda-Extension-Identifier}, or null once a 403 was sent. */
  private static String identifier(HttpExchange exchange) throws IOException {
    String raw = exchange.getRequestHeaders().getFirst(IDENTIFIER_HEADER);
    if (raw == null || raw.isEmpty()) {
      forbidden(exchange, MISSING_IDENTIFIER, "Missing " + IDENTIFIER_HEADER + " header");
      return null;
    }
    if (!CANONICAL_UUID.matcher(raw).matches()) {
      forbidden(exchange, INVALID_IDENTIFIER, "Invalid " + IDENTIFIER_HEADER);
      return null;
    }
    return raw;
  }

  private static String transitionFailed(Agent agent, String to) {
    return "State transition from " + agent.state.label + " to " + to + " failed for extension "
        + agent.id + ". Error: State transition is not allowed";
  }

  private static void forbidden(HttpExchange exchange, String errorType, String message)
      throws IOException {
    json(exchange, 403, error(errorType, message));
  }

  /** Lambda's error body ({@code model.ErrorResponse}, as Go's JSON encoder writes it). */
  static String error(String errorType, String message) {
    return "{\"errorMessage\":" + MiniJson.quote(message)
        + ",\"errorType\":" + MiniJson.quote(errorType) + "}\n";
  }

  private static void json(HttpExchange exchange, int status, String body) throws IOException {
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    respond(exchange, status, body);
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
