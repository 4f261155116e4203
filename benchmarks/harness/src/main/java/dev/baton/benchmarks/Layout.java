package dev.baton.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Where the benchmarks' Maven build left what the harness runs: all under {@code benchmarks/}. */
record Layout(Path benchmarks) {

  Layout {
    benchmarks = benchmarks.toAbsolutePath().normalize();
  }

  /** From the system property {@code baton.benchmarks.dir} (set by the build), else {@code .}. */
  static Layout fromSystemProperty() {
    return new Layout(Path.of(System.getProperty("baton.benchmarks.dir", ".")));
  }

  Path repository() {
    return benchmarks.getParent();
  }

  Path module(String name) {
    return benchmarks.resolve(name);
  }

  /**
   * The {@code POST /orders} HTTP API event every cold start and the warm-invocation benchmark
   * send, with {@code TRACE_ID} and {@code REQUEST_ID} to fill in.
   */
  Path event() {
    return module("function").resolve("place-order.json");
  }

  /** A module's compiled (and, for Baton's, woven) classes. */
  Path classes(String module) {
    return module(module).resolve("target/classes");
  }

  /**
   * {@code classpath} with {@code aspectsJar} in place of its {@code baton-aspects} jar (Baton's
   * runtime from another build, for an A/B); unchanged when {@code aspectsJar} is null.
   */
  static String withAspects(String classpath, String aspectsJar) {
    if (aspectsJar == null) {
      return classpath;
    }
    List<String> jars = new ArrayList<>();
    for (String jar : classpath.split(java.io.File.pathSeparator)) {
      jars.add(Path.of(jar).getFileName().toString().startsWith("baton-aspects-") ? aspectsJar : jar);
    }
    return String.join(java.io.File.pathSeparator, jars);
  }

  /** The jars of a function module's deployment package, from {@code target/function.classpath}. */
  String functionClasspath(String module) {
    return read(module(module).resolve("target/function.classpath"));
  }

  /** What Lambda's Java runtime itself provides: the runtime interface client. */
  String runtimeClientClasspath() {
    return read(module("harness").resolve("target/runtime-client.classpath"));
  }

  Path otelAgent() {
    return module("harness").resolve("target/agent/opentelemetry-javaagent.jar");
  }

  /** The JMH module's classes and its classpath. */
  String jmhClasspath() {
    return classes("jmh") + java.io.File.pathSeparator + read(module("jmh").resolve("target/jmh.classpath"));
  }

  Path results() {
    return benchmarks.resolve("results");
  }

  Path work() {
    return module("harness").resolve("target/work");
  }

  private static String read(Path file) {
    try {
      return Files.readString(file).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(
          file + " is missing: build the benchmarks first (benchmarks/run.sh does)", e);
    }
  }
}
