package it.w3c;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The real W3C Trace Context test suite ({@code test/test.py} of github.com/w3c/trace-context,
 * Python 3 with aiohttp) against the Baton-traced service and the OpenTelemetry-only reference,
 * when {@code -Dw3c.suite.dir=<checkout>/test} is given (see run-w3c-suite.md); skipped
 * otherwise, as the build has neither the checkout nor aiohttp. Baton must pass every case the
 * reference passes; both results are written to {@code target/w3c-suite-*.txt}.
 */
class RealW3cSuiteTest {

  /** {@code test_x (__main__.Suite)} or {@code (__main__.Suite.test_x)}, Python 3.11 and later. */
  private static final Pattern TEST = Pattern.compile("^(test_\\w+) \\((?:__main__\\.)?(\\w+)(?:\\.test_\\w+)?\\)");

  /** The outcome ends the test's line, or the line of its docstring's first line after it. */
  private static final Pattern OUTCOME = Pattern.compile(" \\.\\.\\. (ok|FAIL|ERROR|skipped.*)$");

  @Test
  void batonPassesEveryCaseOpenTelemetrysPropagatorPasses() throws Exception {
    String dir = System.getProperty("w3c.suite.dir", "");
    assumeTrue(!dir.isEmpty() && !dir.startsWith("${") && Files.isRegularFile(Path.of(dir, "test.py")), "no -Dw3c.suite.dir");
    Set<String> batonPassed;
    Set<String> referencePassed;
    try (ApiGatewayBridge baton = new ApiGatewayBridge(0, (event, context) -> new CallTheHarness().handleRequest(event, context));
        ApiGatewayBridge reference = new ApiGatewayBridge(0, (event, context) -> OpenTelemetryOnlyService.handle(event))) {
      batonPassed = run(dir, baton.endpoint(), "baton", 7777);
      referencePassed = run(dir, reference.endpoint(), "opentelemetry", 7778);
    }
    assertThat(batonPassed).containsAll(referencePassed);
  }

  private static Set<String> run(String dir, String endpoint, String name, int harnessPort) throws Exception {
    ProcessBuilder python = new ProcessBuilder(System.getProperty("w3c.python", "python3"), "test.py", endpoint).directory(Path.of(dir).toFile()).redirectErrorStream(true);
    python.environment().put("SPEC_LEVEL", System.getProperty("w3c.spec.level", "2"));
    python.environment().put("HARNESS_PORT", Integer.toString(harnessPort));
    Process process = python.start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null; ) {
        lines.add(line);
      }
    }
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
    Set<String> passed = new TreeSet<>();
    int total = 0;
    String current = null;
    for (String line : lines) {
      Matcher test = TEST.matcher(line);
      if (test.find()) {
        current = test.group(2) + "." + test.group(1);
      }
      Matcher outcome = OUTCOME.matcher(line);
      if (current != null && outcome.find()) {
        if (!outcome.group(1).startsWith("skipped")) {
          total++;
        }
        if (outcome.group(1).equals("ok")) {
          passed.add(current);
        }
        current = null;
      }
    }
    Path report = Path.of("target", "w3c-suite-" + name + ".txt");
    Files.write(report, lines);
    System.out.printf("[w3c] %s: %d of %d W3C Trace Context cases passed (%s)%n", name, passed.size(), total, report);
    return passed;
  }
}
