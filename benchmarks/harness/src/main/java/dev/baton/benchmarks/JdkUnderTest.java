package dev.baton.benchmarks;

import java.nio.file.Path;

/** A JDK the benchmarks run on: its name in the results ({@code "17"}, {@code "25"}) and home. */
record JdkUnderTest(String name, Path home) {

  Path java() {
    return home.resolve("bin/java");
  }
}
