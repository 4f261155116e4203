package dev.baton.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import dev.baton.testing.handlers.ExtensionHandler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Extensions API of {@link LocalLambdaRuntime} against the real runtime interface client, with
 * {@link ExtensionHandler}: a function whose static initializer registers an internal extension.
 */
class LocalLambdaRuntimeExtensionsTest {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Pattern UUID_TEXT =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  @Test
  void theResponseReturnsAtOnceAndTheFreezeWaitsForTheExtension() throws Exception {
    assumeTrue(Files.exists(Path.of("/proc/self/stat")), "reads process states from /proc");
    try (WorkGate gate = new WorkGate();
        LocalLambdaRuntime lambda = LocalLambdaRuntime.builder(ExtensionHandler.class.getName())
            .functionName("orders")
            .freezeBetweenInvocations(true)
            .environment("PROBE_HOOK_URL", gate.url())
            .start()) {
      LocalLambdaRuntime.Result first = lambda.invoke(LocalLambdaRuntime.invocation("{}"));

      gate.awaitWorking(first.requestId());
      assertThat(first.extensionsDoneOrder()).as("the extension is still working").isEmpty();
      assertThat(lambda.freezeCount()).isZero();
      assertThat(state(lambda.pid())).as("not frozen while the extension works").isNotEqualTo('T');
      long released = gate.release(first.requestId());
      long done = lambda.awaitExtensionsDone(first, WAIT);
      long frozen = lambda.awaitFreeze(first, WAIT);

      assertThat(first.order()).as("the caller had its response first").isLessThan(released);
      assertThat(released).isLessThan(done);
      assertThat(done).as("frozen only after the extension asked for next").isLessThan(frozen);
      assertThat(first.extensionsDoneOrder()).hasValue(done);
      assertThat(first.extensionsDoneAfterResponse()).hasValueSatisfying(
          after -> assertThat(after).isPositive());
      assertThat(first.runtimeDuration()).isPositive();
      assertThat(first.environmentReset()).isEmpty();
      assertThat(state(lambda.pid())).isEqualTo('T');

      Map<String, String> report = report(first);
      assertThat(lambda.extensions()).singleElement().satisfies(extension -> {
        assertThat(extension.name()).isEqualTo("probe-extension");
        assertThat(extension.id()).matches(UUID_TEXT).isEqualTo(report.get("extensionId"));
        assertThat(extension.events()).containsExactly("INVOKE");
        assertThat(extension.registeredOrder()).isLessThan(first.order());
      });
      assertThat(report.get("register")).isEqualTo("200 {\"functionName\":\"orders\","
          + "\"functionVersion\":\"$LATEST\",\"handler\":\"" + ExtensionHandler.class.getName()
          + "\"}");
      Matcher event = Pattern.compile("\\{\"eventType\":\"INVOKE\",\"deadlineMs\":(\\d+),"
          + "\"requestId\":\"(.+)\",\"invokedFunctionArn\":\"(.+)\","
          + "\"tracing\":\\{\"type\":\"X-Amzn-Trace-Id\",\"value\":\"(.+)\"}}")
          .matcher(report.get("extensionEvent"));
      assertThat(event.matches()).as(report.get("extensionEvent")).isTrue();
      assertThat(event.group(2)).isEqualTo(first.requestId());
      assertThat(event.group(3)).endsWith(":function:orders");
      assertThat(event.group(4)).isEqualTo(first.traceHeader());
      assertThat(Long.parseLong(event.group(1)))
          .isBetween(System.currentTimeMillis(), System.currentTimeMillis() + 61_000);

      LocalLambdaRuntime.Result second =
          lambda.invoke(LocalLambdaRuntime.invocation("{\"registerLate\":1}"));
      assertThat(second.order()).isGreaterThan(frozen);
      assertThat(report(second).get("late")).isEqualTo("403 {\"errorMessage\":"
          + "\"Extension registration closed already\","
          + "\"errorType\":\"Extension.RegistrationClosed\"}");
      gate.awaitWorking(second.requestId());
      assertThat(lambda.freezeCount()).isEqualTo(1);
      gate.release(second.requestId());
      assertThat(lambda.awaitFreeze(second, WAIT))
          .isGreaterThan(lambda.awaitExtensionsDone(second, WAIT));
      assertThat(lambda.freezeCount()).isEqualTo(2);
      assertThat(lambda.extensions()).hasSize(1);
      assertThat(lambda.resetCount()).isZero();
    }
  }

  @Test
  void refusesWhatLambdaRefusesDuringInit() throws Exception {
    try (LocalLambdaRuntime lambda = LocalLambdaRuntime.builder(ExtensionHandler.class.getName())
        .environment("PROBE_INIT_CHECKS", "true")
        .start()) {
      Map<String, String> report = report(lambda.invoke(LocalLambdaRuntime.invocation("{}")));

      assertThat(report.get("register")).startsWith("200 ");
      assertThat(report).containsEntry("check.emptyName", forbidden(
          "Empty extension name", "Extension.InvalidExtensionName"));
      assertThat(report.get("check.notAnObject"))
          .startsWith("403 ").endsWith("\"errorType\":\"InvalidRequestFormat\"}");
      assertThat(report).containsEntry("check.shutdown", forbidden(
          "SHUTDOWN: ShutdownEventNotSupportedForInternalExtension",
          "Extension.InvalidEventType"));
      assertThat(report).containsEntry("check.unknownEvent", forbidden(
          "RESTORE: ErrorInvalidEventType", "Extension.InvalidEventType"));
      assertThat(report).containsEntry("check.sameName", forbidden(
          "Extension with this name already registered", "Extension.InvalidExtensionState"));
      assertThat(report).containsEntry("check.nextWithoutId", forbidden(
          "Missing Lambda-Extension-Identifier header", "Extension.MissingExtensionIdentifier"));
      assertThat(report).containsEntry("check.nextMalformedId", forbidden(
          "Invalid Lambda-Extension-Identifier", "Extension.InvalidExtensionIdentifier"));
      assertThat(report.get("check.nextUnknownId"))
          .startsWith("403 {\"errorMessage\":\"Unknown extension ")
          .endsWith("\"errorType\":\"Extension.UnknownExtensionIdentifier\"}");
      assertThat(report).containsEntry("check.initErrorWithoutType", forbidden(
          "Lambda-Extension-Function-Error-Type not found", "Extension.MissingHeader"));
      assertThat(report).containsEntry("check.accountId", "200 {\"accountId\":\""
          + TestLambdaContext.ACCOUNT_ID + "\",\"functionName\":\"baton-test-function\","
          + "\"functionVersion\":\"$LATEST\",\"handler\":\"" + ExtensionHandler.class.getName()
          + "\"}");
      assertThat(report).containsEntry("check.tooMany", forbidden(
          "Extension limit (10) reached", "Extension.TooManyExtensions"));
      assertThat(report).containsEntry("check.registeredBeforeTooMany", "10");
      assertThat(lambda.extensions()).hasSize(10);
      assertThat(lambda.extensions().get(1).events()).isEmpty();

      LocalLambdaRuntime.Result second = lambda.invoke(LocalLambdaRuntime.invocation("{}"));
      assertThat(lambda.awaitExtensionsDone(second, WAIT))
          .as("extensions with no event are not waited for").isGreaterThan(second.order());
      assertThat(lambda.extensionErrors()).isEmpty();
    }
  }

  @Test
  void aStuckExtensionHoldsTheEnvironmentUntilTheDeadlineAndLambdaResetsIt() throws Exception {
    try (LocalLambdaRuntime lambda = LocalLambdaRuntime.builder(ExtensionHandler.class.getName())
        .freezeBetweenInvocations(true)
        .invocationTimeout(Duration.ofSeconds(8))
        .start()) {
      long stuckPid = lambda.pid();
      LocalLambdaRuntime.Result stuck =
          lambda.invoke(LocalLambdaRuntime.invocation("{\"stick\":1}"));
      String stuckExtension = report(stuck).get("extensionId");

      assertThatThrownBy(() -> lambda.awaitExtensionsDone(stuck, WAIT))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("Lambda reset the execution environment after " + stuck.requestId())
          .hasMessageContaining("extension 'probe-extension' did not ask for its next event");
      assertThat(stuck.environmentReset()).isPresent();
      assertThat(stuck.extensionsDoneOrder()).isEmpty();
      assertThat(stuck.frozenOrder()).isEmpty();
      assertThatThrownBy(() -> lambda.awaitFreeze(stuck, WAIT))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("reset");
      assertThat(lambda.freezeCount()).as("never frozen with a stuck extension").isZero();
      assertThat(lambda.resetCount()).isEqualTo(1);
      assertThat(ProcessHandle.of(stuckPid).map(ProcessHandle::isAlive))
          .as("the stuck JVM is gone").isNotEqualTo(Optional.of(true));
      assertThat(lambda.pid()).isNotEqualTo(stuckPid);

      LocalLambdaRuntime.Result fresh = lambda.invoke(LocalLambdaRuntime.invocation("{}"));
      Map<String, String> report = report(fresh);
      assertThat(report).containsEntry("pid", Long.toString(lambda.pid()));
      assertThat(report.get("register")).as("init ran again").startsWith("200 ");
      assertThat(report.get("extensionId")).isNotEqualTo(stuckExtension);
      assertThat(lambda.extensions()).singleElement()
          .satisfies(extension -> assertThat(extension.id()).isEqualTo(report.get("extensionId")));
      assertThat(lambda.awaitFreeze(fresh, WAIT))
          .isGreaterThan(lambda.awaitExtensionsDone(fresh, WAIT));
      assertThat(lambda.output()).contains("extension: stuck after " + stuck.requestId())
          .contains("Lambda reset the execution environment");
    }
  }

  @Test
  void anExitErrorResetsTheEnvironmentAndAnInitErrorFailsTheInit() throws Exception {
    try (LocalLambdaRuntime lambda = LocalLambdaRuntime.builder(ExtensionHandler.class.getName())
        .start()) {
      long firstPid = lambda.pid();
      LocalLambdaRuntime.Result exits =
          lambda.invoke(LocalLambdaRuntime.invocation("{\"exitError\":1}"));
      assertThat(exits.error()).isFalse();

      assertThatThrownBy(() -> lambda.awaitExtensionsDone(exits, WAIT))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("extension 'probe-extension' reported an exit error");
      assertThat(lambda.extensionErrors()).singleElement().satisfies(error -> {
        assertThat(error.extensionName()).isEqualTo("probe-extension");
        assertThat(error.path()).isEqualTo("exit/error");
        assertThat(error.errorType()).isEqualTo("Extension.ProbeExit");
        assertThat(error.body()).isEqualTo("{\"errorMessage\":\"probe\"}");
      });
      assertThat(lambda.resetCount()).isEqualTo(1);
      LocalLambdaRuntime.Result after = lambda.invoke(LocalLambdaRuntime.invocation("{}"));
      assertThat(report(after).get("pid")).isNotEqualTo(Long.toString(firstPid));
    }

    try (LocalLambdaRuntime lambda = LocalLambdaRuntime.builder(ExtensionHandler.class.getName())
        .environment("PROBE_EXTENSION_INIT_ERROR", "Extension.ProbeInit")
        .start()) {
      assertThatThrownBy(() -> lambda.invoke(LocalLambdaRuntime.invocation("{}")))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("an extension reported an init error: probe-extension init/error"
              + " Extension.ProbeInit");
      assertThat(lambda.extensionErrors()).singleElement()
          .satisfies(error -> assertThat(error.path()).isEqualTo("init/error"));
      ProcessHandle.of(lambda.pid()).ifPresent(
          jvm -> jvm.onExit().orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join());
      assertThat(lambda.exitCode()).as("shut down (SIGTERM), not crashed").hasValue(143);
      assertThat(lambda.resetCount()).isZero();
    }
  }

  @Test
  void snapStartRegistersBeforeRestoreNextAndDeliversAfterTheRestore() throws Exception {
    try (LocalLambdaRuntime lambda = LocalLambdaRuntime.builder(ExtensionHandler.class.getName())
        .snapStart(true)
        .environment("PROBE_REGISTER_AFTER_RESTORE", "true")
        .start()) {
      LocalLambdaRuntime.Result first = lambda.invoke(LocalLambdaRuntime.invocation("{}"));
      LocalLambdaRuntime.Result second = lambda.invoke(LocalLambdaRuntime.invocation("{}"));

      long restoreRequested = lambda.restoreRequestedOrder().orElseThrow();
      assertThat(lambda.extensions()).singleElement().satisfies(extension ->
          assertThat(extension.registeredOrder()).isLessThan(restoreRequested));
      Map<String, String> report = report(first);
      assertThat(report.get("register")).startsWith("200 ");
      assertThat(report.get("afterRestore")).as("registration closed at restore/next")
          .contains("\"errorType\":\"Extension.RegistrationClosed\"");
      assertThat(report.get("extensionEvent")).contains("\"requestId\":\"" + first.requestId());
      assertThat(report(second).get("extensionEvent"))
          .contains("\"requestId\":\"" + second.requestId());
      assertThat(lambda.awaitExtensionsDone(first, WAIT)).isGreaterThan(first.order())
          .isLessThan(second.order());
      assertThat(lambda.restoreError()).isEmpty();
    }
  }

  @Test
  void managedInstancesLetAnInternalExtensionRegisterForNoEvent() throws Exception {
    try (LocalLambdaRuntime lambda = LocalLambdaRuntime.builder(ExtensionHandler.class.getName())
        .maxConcurrency(2)
        .environment("PROBE_EXTENSION_EVENTS", "INVOKE")
        .environment("PROBE_INIT_CHECKS", "true")
        .start()) {
      LocalLambdaRuntime.Result result = lambda.invoke(LocalLambdaRuntime.invocation("{}"));

      Map<String, String> report = report(result);
      assertThat(report).containsEntry("register", forbidden(
          "No events allowed for internal extensions", "Extension.InvalidEventType"));
      assertThat(report.get("check.accountId")).startsWith("200 ");
      assertThat(lambda.extensions()).hasSize(10)
          .allSatisfy(extension -> assertThat(extension.events()).isEmpty());
      assertThat(result.extensionsDoneOrder()).isEmpty();
      assertThatThrownBy(() -> lambda.awaitExtensionsDone(result, WAIT))
          .isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void extensionsTurnedOffAnswer404() throws Exception {
    try (LocalLambdaRuntime lambda = LocalLambdaRuntime.builder(ExtensionHandler.class.getName())
        .extensionsApi(false)
        .start()) {
      LocalLambdaRuntime.Result result = lambda.invoke(LocalLambdaRuntime.invocation("{}"));

      assertThat(report(result)).containsEntry("register", "404 ");
      assertThat(lambda.extensions()).isEmpty();
      assertThat(lambda.awaitExtensionsDone(result, WAIT)).isGreaterThan(result.order());
    }
  }

  private static String forbidden(String message, String errorType) {
    return "403 {\"errorMessage\":\"" + message + "\",\"errorType\":\"" + errorType + "\"}";
  }

  /** The handler's {@code key=value} lines. */
  private static Map<String, String> report(LocalLambdaRuntime.Result result) {
    assertThat(result.error()).as(result.body()).isFalse();
    Map<String, String> report = new HashMap<>();
    for (String line : result.body().split("\n")) {
      int equals = line.indexOf('=');
      report.put(line.substring(0, equals), line.substring(equals + 1));
    }
    return report;
  }

  /** The state letter in {@code /proc/<pid>/stat}: {@code T} is stopped. */
  private static char state(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    return stat.charAt(stat.lastIndexOf(')') + 2);
  }

  /**
   * The extension's work: its {@code GET /work?requestId=<id>} waits here until the test releases
   * that request, so that the test decides when the work after an invocation ends.
   */
  private static final class WorkGate implements AutoCloseable {
    private final Map<String, CompletableFuture<Void>> arrived = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Void>> released = new ConcurrentHashMap<>();
    private final ExecutorService threads = LoopbackHttpServer.executor("work-gate");
    private final HttpServer server;

    WorkGate() throws IOException {
      server = LoopbackHttpServer.create(threads);
      server.createContext("/work", exchange -> {
        String request = exchange.getRequestURI().getQuery().substring("requestId=".length());
        future(arrived, request).complete(null);
        try {
          future(released, request).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
          // answer anyway: the extension goes on
        }
        exchange.sendResponseHeaders(204, -1);
        exchange.close();
      });
      server.start();
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void awaitWorking(String requestId) throws Exception {
      future(arrived, requestId).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Ends the extension's work after {@code requestId}; returns when, in {@link EventOrder}. */
    long release(String requestId) {
      long order = EventOrder.next();
      future(released, requestId).complete(null);
      return order;
    }

    private static CompletableFuture<Void> future(
        Map<String, CompletableFuture<Void>> futures, String requestId) {
      return futures.computeIfAbsent(requestId, key -> new CompletableFuture<>());
    }

    @Override
    public void close() {
      released.values().forEach(future -> future.complete(null));
      server.stop(0);
      threads.shutdownNow();
    }
  }
}
