package dev.baton.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import dev.baton.testing.handlers.ProbeHandler;
import dev.baton.testing.handlers.SnapStartHandler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * {@link LocalLambdaRuntime} against the real runtime interface client, with plain handlers that
 * report what the client gave them: one function JVM per scenario.
 */
class LocalLambdaRuntimeTest {

  private static final Pattern X_RAY_HEADER =
      Pattern.compile("Root=1-([0-9a-f]{8})-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=([01])");
  private static final String GIVEN_HEADER =
      "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void classicModeGivesEachInvocationItsOwnUnsampledHeaderOneAtATime() throws Exception {
    long startedSeconds = System.currentTimeMillis() / 1000;
    try (LocalLambdaRuntime lambda =
        LocalLambdaRuntime.builder(ProbeHandler.class.getName()).start()) {
      LocalLambdaRuntime.Invocation withHeader =
          LocalLambdaRuntime.invocation("{}").withTraceHeader(GIVEN_HEADER);
      LocalLambdaRuntime.Result given = lambda.invoke(withHeader);
      LocalLambdaRuntime.Result again = lambda.invoke(withHeader);
      CompletableFuture<LocalLambdaRuntime.Result> first =
          lambda.invokeAsync(LocalLambdaRuntime.invocation("{\"sleepMillis\":200}"));
      CompletableFuture<LocalLambdaRuntime.Result> second =
          lambda.invokeAsync(LocalLambdaRuntime.invocation("{\"sleepMillis\":200}"));

      assertThat(given.traceHeader()).isEqualTo(GIVEN_HEADER);
      assertThat(again.requestId()).isEqualTo(given.requestId());
      assertThat(again.order()).isGreaterThan(given.order());
      assertThat(report(given)).containsEntry("traceProperty", GIVEN_HEADER)
          .containsEntry("contextTraceId", GIVEN_HEADER);
      long nowSeconds = System.currentTimeMillis() / 1000;
      for (LocalLambdaRuntime.Result result : List.of(first.get(), second.get())) {
        Matcher header = X_RAY_HEADER.matcher(result.traceHeader());
        assertThat(header.matches()).as(result.traceHeader()).isTrue();
        assertThat(header.group(2)).as("active tracing is off").isEqualTo("0");
        assertThat(Long.parseLong(header.group(1), 16)).isBetween(startedSeconds, nowSeconds);
        Map<String, String> report = report(result);
        assertThat(report).containsEntry("requestId", result.requestId())
            .containsEntry("traceProperty", result.traceHeader())
            .containsEntry("contextTraceId", result.traceHeader())
            .as("classic mode runs one invocation at a time").containsEntry("running", "1");
      }
      assertThat(first.get().traceHeader()).isNotEqualTo(second.get().traceHeader());
      assertThat(first.get().order()).isLessThan(second.get().order());
      assertThat(System.getProperty("sun.net.httpserver.nodelay")).isEqualTo("true");

      assertThat(lambda.freezeCount()).isZero();
      assertThat(first.get().frozenOrder()).isEmpty();
      assertThatThrownBy(() -> lambda.awaitFreeze(given, WAIT))
          .isInstanceOf(IllegalStateException.class);
      assertThat(lambda.restoreRequestedOrder()).isEmpty();
      assertThat(lambda.initError()).isEmpty();

      CompletableFuture<LocalLambdaRuntime.Result> exits =
          lambda.invokeAsync(LocalLambdaRuntime.invocation("{\"exit\":3}"));
      CompletableFuture<LocalLambdaRuntime.Result> queued =
          lambda.invokeAsync(LocalLambdaRuntime.invocation("{}"));
      for (CompletableFuture<LocalLambdaRuntime.Result> pending : List.of(exits, queued)) {
        assertThatThrownBy(() -> pending.get(WAIT.toSeconds(), TimeUnit.SECONDS))
            .hasCauseInstanceOf(IllegalStateException.class)
            .hasMessageContaining("the function's JVM exited with 3")
            .hasMessageContaining("exiting on purpose");
      }
      assertThatThrownBy(() -> lambda.invoke(LocalLambdaRuntime.invocation("{}")))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("not running (exit code 3)");
    }
  }

  @Test
  void activeTracingSamplesAndTheJvmIsFrozenBetweenInvocations() throws Exception {
    assumeTrue(Files.exists(Path.of("/proc/self/stat")), "reads process states from /proc");
    LocalLambdaRuntime lambda =
        LocalLambdaRuntime.builder(ProbeHandler.class.getName())
            .activeTracing(true)
            .freezeBetweenInvocations(true)
            .start();
    try {
      LocalLambdaRuntime.Result first = lambda.invoke(LocalLambdaRuntime.invocation("{}"));
      long firstFreeze = lambda.awaitFreeze(first, WAIT);

      assertThat(first.traceHeader()).matches(X_RAY_HEADER).endsWith(";Sampled=1");
      assertThat(report(first)).containsEntry("traceProperty", first.traceHeader())
          .containsEntry("pid", Long.toString(lambda.pid()));
      assertThat(firstFreeze).isGreaterThan(first.order());
      assertThat(first.frozenOrder()).hasValue(firstFreeze);
      assertThat(state(lambda.pid())).as("stopped").isEqualTo('T');

      LocalLambdaRuntime.Result second = lambda.invoke(LocalLambdaRuntime.invocation("{}"));
      assertThat(second.error()).as(second.body()).isFalse();
      assertThat(second.order()).isGreaterThan(firstFreeze);
      assertThat(report(second)).containsEntry("pid", Long.toString(lambda.pid()));
      assertThat(lambda.awaitFreeze(second, WAIT)).isGreaterThan(second.order());
      assertThat(lambda.freezeCount()).isEqualTo(2);
      assertThat(state(lambda.pid())).isEqualTo('T');
    } finally {
      lambda.close();
    }
    assertThat(lambda.exitCode()).as("a stopped JVM cannot handle SIGTERM: 137 is SIGKILL")
        .hasValue(143);
  }

  @Test
  void freezingNeedsClassicMode() {
    LocalLambdaRuntime.Builder both =
        LocalLambdaRuntime.builder(ProbeHandler.class.getName())
            .maxConcurrency(2)
            .freezeBetweenInvocations(true);
    assertThatThrownBy(both::start).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void managedInstancesRunInvocationsAtOnceEachWithItsOwnHeader() throws Exception {
    try (LocalLambdaRuntime lambda =
        LocalLambdaRuntime.builder(ProbeHandler.class.getName()).maxConcurrency(4).start()) {
      List<CompletableFuture<LocalLambdaRuntime.Result>> results =
          IntStream.range(0, 4)
              .mapToObj(i -> LocalLambdaRuntime.invocation("{\"rendezvous\":4}"))
              .map(lambda::invokeAsync)
              .toList();
      CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
          .get(WAIT.toSeconds(), TimeUnit.SECONDS);

      List<Map<String, String>> reports = results.stream().map(r -> report(r.join())).toList();
      assertThat(reports).as("all four were in the handler at once")
          .allSatisfy(report -> assertThat(report).containsEntry("met", "true"));
      assertThat(reports.stream().map(report -> report.get("thread")).distinct()).hasSize(4);
      for (CompletableFuture<LocalLambdaRuntime.Result> future : results) {
        LocalLambdaRuntime.Result result = future.join();
        assertThat(result.traceHeader()).matches(X_RAY_HEADER).endsWith(";Sampled=0");
        assertThat(report(result)).containsEntry("requestId", result.requestId())
            .containsEntry("contextTraceId", result.traceHeader())
            .as("no system property in this mode").containsEntry("traceProperty", "null");
      }
      assertThat(results.stream().map(r -> r.join().traceHeader()).distinct()).hasSize(4);
    }
  }

  @Test
  void snapStartRunsTheCracHooksAroundTheRestore() throws Exception {
    Map<String, Long> hooks = new ConcurrentHashMap<>();
    ExecutorService hookThreads = LoopbackHttpServer.executor("hooks");
    HttpServer hookServer = LoopbackHttpServer.create(hookThreads);
    hookServer.createContext("/", exchange -> {
      hooks.put(exchange.getRequestURI().getPath().substring(1), EventOrder.next());
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    hookServer.start();
    try (LocalLambdaRuntime lambda =
        LocalLambdaRuntime.builder(SnapStartHandler.class.getName())
            .snapStart(true)
            .environment("PROBE_HOOK_URL", "http://127.0.0.1:" + hookServer.getAddress().getPort())
            .start()) {
      LocalLambdaRuntime.Result first = lambda.invoke(LocalLambdaRuntime.invocation("{}"));
      LocalLambdaRuntime.Result second = lambda.invoke(LocalLambdaRuntime.invocation("{}"));

      assertThat(report(first)).containsEntry("initType", "snap-start")
          .containsEntry("events", "init,beforeCheckpoint,afterRestore,invocation");
      assertThat(report(second))
          .containsEntry("events", "init,beforeCheckpoint,afterRestore,invocation,invocation");
      long restoreRequested = lambda.restoreRequestedOrder().orElseThrow();
      assertThat(hooks.get("beforeCheckpoint")).isLessThan(restoreRequested);
      assertThat(hooks.get("afterRestore")).isGreaterThan(restoreRequested)
          .isLessThan(first.order());
      assertThat(lambda.restoreError()).isEmpty();
    } finally {
      hookServer.stop(0);
      hookThreads.shutdownNow();
    }
  }

  @Test
  void aFailingAfterRestoreHookIsReportedAsARestoreError() throws Exception {
    try (LocalLambdaRuntime lambda =
        LocalLambdaRuntime.builder(SnapStartHandler.class.getName())
            .snapStart(true)
            .environment("PROBE_FAIL_HOOK", "afterRestore")
            .start()) {
      assertThatThrownBy(() -> lambda.invoke(LocalLambdaRuntime.invocation("{}")))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("restore error");
      assertThat(lambda.restoreError()).hasValueSatisfying(error -> assertThat(error)
          .contains("\"errorType\":\"com.amazonaws.services.lambda.crac.RestoreException\""));
      assertThat(lambda.output()).contains("afterRestore failed on purpose");
      assertThat(lambda.initError()).isEmpty();
    }
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
}
