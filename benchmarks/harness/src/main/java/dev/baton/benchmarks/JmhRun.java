package dev.baton.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the JMH benchmarks of {@code benchmarks/jmh} on one JDK, in a JVM of that JDK (JMH forks
 * from it), with the local peers' addresses in the environment for the warm invocations.
 */
final class JmhRun {

  /** One JMH score: the benchmark (and its parameter), the score, its 99.9% error, the unit. */
  record Score(String name, double score, double error, String unit) {}

  private JmhRun() {}

  static Map<String, Score> run(Layout layout, JdkUnderTest jdk, LocalPeers peers, String include, List<String> options)
      throws IOException, InterruptedException {
    Path csv = Files.createTempFile(layout.work(), "jmh-", ".csv");
    List<String> command = new ArrayList<>(List.of(
        jdk.java().toString(), "-Dbaton.benchmarks.dir=" + layout.benchmarks(),
        "-cp", layout.jmhClasspath(), "org.openjdk.jmh.Main", include));
    command.addAll(options);
    command.addAll(List.of("-rf", "csv", "-rff", csv.toString()));
    ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
    builder.environment().keySet().removeIf(name -> name.startsWith("OTEL_") || name.startsWith("BATON_"));
    builder.environment().putAll(peers.sqsEnvironment());
    builder.environment().putAll(peers.exportEnvironment(Variant.BATON));
    builder.environment().put("AWS_LAMBDA_FUNCTION_NAME", "place-order");
    builder.environment().put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
    int exit = builder.start().waitFor();
    if (exit != 0) {
      throw new IllegalStateException("JMH on JDK " + jdk.name() + " exited with " + exit);
    }
    Map<String, Score> scores = new LinkedHashMap<>();
    List<String> lines = Files.readAllLines(csv);
    for (String line : lines.subList(1, lines.size())) {
      String[] cells = line.split(",");
      String benchmark = unquote(cells[0]);
      String name = benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1);
      if (cells.length > 7) {
        name += "[" + unquote(cells[7]) + "]";
      }
      double error = cells[5].equals("NaN") ? Double.NaN : Double.parseDouble(cells[5]);
      scores.put(name, new Score(name, Double.parseDouble(cells[4]), error, unquote(cells[6])));
    }
    return scores;
  }

  private static String unquote(String cell) {
    return cell.replace("\"", "");
  }
}
