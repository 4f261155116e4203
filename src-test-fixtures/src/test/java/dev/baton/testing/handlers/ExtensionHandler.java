package dev.baton.testing.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.crac.Core;
import org.crac.Resource;

/**
 * A plain handler with an internal extension, which it registers in its static initializer, as a
 * function must: Lambda closes registration when the runtime first asks for an event. The
 * extension's thread asks for events; after each {@code INVOKE} it waits until the handler has
 * finished that invocation (as an exporter of its spans would), then calls {@code
 * PROBE_HOOK_URL/work?requestId=<id>} when set and waits for the answer (the test decides when
 * its work ends), then asks for its next event.
 *
 * <p>Settings (environment): {@code PROBE_EXTENSION_EVENTS}, the events to register for
 * (comma-separated, {@code INVOKE} by default, empty for none); {@code PROBE_EXTENSION_INIT_ERROR},
 * an error type the extension posts to {@code init/error} instead of asking for events; {@code
 * PROBE_INIT_CHECKS=true} to send, during init, requests that Lambda refuses, and report its
 * answers; {@code PROBE_REGISTER_AFTER_RESTORE=true} to try a registration in an {@code org.crac}
 * {@code afterRestore} hook. The event is a JSON object whose fields, set to 1, ask for: {@code
 * registerLate}, a registration during the invocation; {@code stick}, an extension that never asks
 * for its next event after this invocation; {@code exitError}, one that posts {@code exit/error}
 * instead.
 *
 * <p>It reports, as {@code key=value} lines: {@code requestId}, {@code pid}, {@code register} (the
 * status and body of the registration), {@code extensionId}, {@code extensionEvent} (the {@code
 * INVOKE} event the extension got for this invocation), {@code late}, {@code afterRestore}, and
 * {@code check.<name>} (status and body of each refused request).
 */
public final class ExtensionHandler implements RequestStreamHandler {

  private static final String API = "http://" + System.getenv("AWS_LAMBDA_RUNTIME_API");
  private static final String EXTENSION_NAME = "probe-extension";
  private static final Pattern FIELD = Pattern.compile("\"(\\w+)\"\\s*:\\s*(\\d+)");
  private static final Pattern REQUEST_ID = Pattern.compile("\"requestId\"\\s*:\\s*\"([^\"]+)\"");

  /** The INVOKE event the extension got, by request id. */
  private static final Map<String, CompletableFuture<String>> EVENTS = new ConcurrentHashMap<>();
  /** The event the handler finished, by request id. */
  private static final Map<String, CompletableFuture<String>> HANDLED = new ConcurrentHashMap<>();
  private static final Map<String, String> CHECKS = new LinkedHashMap<>();
  private static final String REGISTERED;
  private static final String EXTENSION_ID;
  private static volatile String afterRestore = "-";

  /** Held strongly: the runtime client's context keeps its resources weakly. */
  private static final Resource RESTORE_HOOK = new Resource() {
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {}

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
      afterRestore = register("after-restore", "INVOKE", Map.of()).summary();
    }
  };

  static {
    String events = System.getenv().getOrDefault("PROBE_EXTENSION_EVENTS", "INVOKE");
    Response registered = register(EXTENSION_NAME, events, Map.of());
    REGISTERED = registered.summary();
    EXTENSION_ID = registered.status == 200 ? registered.extensionId : null;
    if (EXTENSION_ID != null) {
      String initError = System.getenv("PROBE_EXTENSION_INIT_ERROR");
      if (initError != null) {
        call("POST", "/2020-01-01/extension/init/error", "{\"errorMessage\":\"probe\"}",
            Map.of("Lambda-Extension-Identifier", EXTENSION_ID,
                "Lambda-Extension-Function-Error-Type", initError));
      } else {
        start(EXTENSION_NAME, () -> loop(EXTENSION_ID));
      }
    }
    if ("true".equals(System.getenv("PROBE_INIT_CHECKS"))) {
      initChecks();
    }
    if ("true".equals(System.getenv("PROBE_REGISTER_AFTER_RESTORE"))) {
      Core.getGlobalContext().register(RESTORE_HOOK);
    }
  }

  /** Requests Lambda refuses (and two it accepts), sent while registration is still open. */
  private static void initChecks() {
    String invoke = "{\"events\":[\"INVOKE\"]}";
    CHECKS.put("emptyName", call("POST", "/2020-01-01/extension/register", invoke, Map.of())
        .summary());
    CHECKS.put("notAnObject", call("POST", "/2020-01-01/extension/register", "[",
        Map.of("Lambda-Extension-Name", "not-an-object")).summary());
    CHECKS.put("shutdown", register("with-shutdown", "INVOKE,SHUTDOWN", Map.of()).summary());
    CHECKS.put("unknownEvent", register("with-unknown", "RESTORE", Map.of()).summary());
    CHECKS.put("sameName", register(EXTENSION_NAME, "INVOKE", Map.of()).summary());
    CHECKS.put("nextWithoutId",
        call("GET", "/2020-01-01/extension/event/next", null, Map.of()).summary());
    CHECKS.put("nextMalformedId", call("GET", "/2020-01-01/extension/event/next", null,
        Map.of("Lambda-Extension-Identifier", "not-a-uuid")).summary());
    CHECKS.put("nextUnknownId", call("GET", "/2020-01-01/extension/event/next", null,
        Map.of("Lambda-Extension-Identifier", UUID.randomUUID().toString())).summary());
    if (EXTENSION_ID != null) {
      CHECKS.put("initErrorWithoutType", call("POST", "/2020-01-01/extension/init/error", "{}",
          Map.of("Lambda-Extension-Identifier", EXTENSION_ID)).summary());
    }
    // Extensions with no event: registered, each asks for its first event once (the init phase
    // waits for that) and then waits for ever.
    Response withAccount = register(
        "no-events-0", "", Map.of("Lambda-Extension-Accept-Feature", "accountId"));
    CHECKS.put("accountId", withAccount.summary());
    int registered = EXTENSION_ID == null ? 0 : 1;
    Response filler = withAccount;
    for (int i = 1; filler.status == 200; i++) {
      String id = filler.extensionId;
      start("no-events-" + (i - 1), () -> call("GET", "/2020-01-01/extension/event/next", null,
          Map.of("Lambda-Extension-Identifier", id)));
      registered++;
      filler = register("no-events-" + i, "", Map.of());
    }
    CHECKS.put("tooMany", filler.summary());
    CHECKS.put("registeredBeforeTooMany", Integer.toString(registered));
  }

  private static void loop(String id) {
    while (true) {
      Response next = call("GET", "/2020-01-01/extension/event/next", null,
          Map.of("Lambda-Extension-Identifier", id));
      if (next.status != 200) {
        System.out.println("extension: next answered " + next.summary());
        return;
      }
      Matcher requestId = REQUEST_ID.matcher(next.body);
      if (!requestId.find()) {
        System.out.println("extension: no requestId in " + next.body);
        return;
      }
      String request = requestId.group(1);
      EVENTS.computeIfAbsent(request, key -> new CompletableFuture<>()).complete(next.body);
      String handled;
      try {
        handled = HANDLED.computeIfAbsent(request, key -> new CompletableFuture<>())
            .get(60, TimeUnit.SECONDS);
      } catch (Exception e) {
        System.out.println("extension: the handler did not finish " + request + ": " + e);
        continue;
      }
      String hook = System.getenv("PROBE_HOOK_URL");
      if (hook != null) {
        call("GET", hook + "/work?requestId=" + request, null, Map.of());
      }
      Map<String, Long> fields = fields(handled);
      if (fields.containsKey("exitError")) {
        call("POST", "/2020-01-01/extension/exit/error", "{\"errorMessage\":\"probe\"}",
            Map.of("Lambda-Extension-Identifier", id,
                "Lambda-Extension-Function-Error-Type", "Extension.ProbeExit"));
        return;
      }
      if (fields.containsKey("stick")) {
        System.out.println("extension: stuck after " + request);
        try {
          new CountDownLatch(1).await();
        } catch (InterruptedException interrupted) {
          return;
        }
      }
    }
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    String event = new String(input.readAllBytes(), StandardCharsets.UTF_8);
    String request = context.getAwsRequestId();
    try {
      String extensionEvent = "-";
      if (EXTENSION_ID != null && System.getenv("PROBE_EXTENSION_EVENTS") == null) {
        extensionEvent = EVENTS.computeIfAbsent(request, key -> new CompletableFuture<>())
            .get(30, TimeUnit.SECONDS);
      }
      String late = fields(event).containsKey("registerLate")
          ? register("late-extension", "INVOKE", Map.of()).summary()
          : "-";
      StringBuilder report = new StringBuilder()
          .append("requestId=").append(request)
          .append("\npid=").append(ProcessHandle.current().pid())
          .append("\nregister=").append(REGISTERED)
          .append("\nextensionId=").append(EXTENSION_ID)
          .append("\nextensionEvent=").append(extensionEvent)
          .append("\nlate=").append(late)
          .append("\nafterRestore=").append(afterRestore)
          .append('\n');
      CHECKS.forEach((name, answer) ->
          report.append("check.").append(name).append('=').append(answer).append('\n'));
      output.write(report.toString().getBytes(StandardCharsets.UTF_8));
    } catch (Exception failed) {
      throw new IOException(failed);
    } finally {
      HANDLED.computeIfAbsent(request, key -> new CompletableFuture<>()).complete(event);
    }
  }

  private static Response register(String name, String events, Map<String, String> headers) {
    String list = Arrays.stream(events.split(","))
        .filter(event -> !event.isEmpty())
        .map(event -> "\"" + event + "\"")
        .collect(Collectors.joining(","));
    Map<String, String> all = new LinkedHashMap<>(headers);
    all.put("Lambda-Extension-Name", name);
    return call("POST", "/2020-01-01/extension/register", "{\"events\":[" + list + "]}", all);
  }

  private static Map<String, Long> fields(String json) {
    Map<String, Long> fields = new LinkedHashMap<>();
    Matcher field = FIELD.matcher(json);
    while (field.find()) {
      fields.put(field.group(1), Long.parseLong(field.group(2)));
    }
    return fields;
  }

  private static void start(String name, Runnable body) {
    Thread thread = new Thread(body, name);
    thread.setDaemon(true);
    thread.start();
  }

  /** One answer: the status, the body on one line, and the extension id header. */
  private record Response(int status, String body, String extensionId) {
    String summary() {
      return status + " " + body.strip().replace('\n', ' ');
    }
  }

  private static Response call(String method, String target, String body,
      Map<String, String> headers) {
    try {
      URI uri = URI.create(target.startsWith("http") ? target : API + target);
      HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
      connection.setRequestMethod(method);
      headers.forEach(connection::setRequestProperty);
      if (body != null) {
        connection.setDoOutput(true);
        connection.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
      }
      int status = connection.getResponseCode();
      InputStream in = status < 400 ? connection.getInputStream() : connection.getErrorStream();
      String text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return new Response(status, text, connection.getHeaderField("Lambda-Extension-Identifier"));
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + target, e);
    }
  }
}
