package dev.baton.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BatonVersionTest {

  @Test
  void constantMatchesTheBuildVersion() {
    // Surefire passes the project version (root pom); the constant avoids reading a resource on
    // every cold start, so it must be bumped with the version.
    assertThat(BatonVersion.VERSION).isEqualTo(System.getProperty("baton.version"));
  }
}
