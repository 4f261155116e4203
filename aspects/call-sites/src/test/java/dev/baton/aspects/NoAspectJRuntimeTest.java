package dev.baton.aspects;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The call-site tests run as a function does: woven by {@code baton:weave}, whose finisher leaves
 * no reference to AspectJ, and without AspectJ's runtime, which is no dependency of a function.
 */
class NoAspectJRuntimeTest {

  @Test
  void theTestsRunWithoutAspectJsRuntime() {
    assertThat(getClass().getClassLoader().getResource("org/aspectj/lang/NoAspectBoundException.class"))
        .as("AspectJ's runtime on the test class path")
        .isNull();
  }
}
