package dev.baton.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ForkedWeaveTest {

  @AfterEach
  void clearProperty() {
    System.clearProperty(ForkedWeave.MORE_JVM_OPTIONS);
  }

  @Test
  void theWeaveJvmGetsBatonsOptionsThenTheUsersThenTheClassAndRequest() throws Exception {
    System.setProperty(ForkedWeave.MORE_JVM_OPTIONS, "  -Xmx2g   -Dprofile=on ");

    List<String> command = ForkedWeave.command("dev.baton.maven.ForkedWeave", Path.of("request.txt"));

    int baton = command.indexOf(ForkedWeave.JVM_OPTIONS.get(0));
    assertThat(command.subList(baton, baton + ForkedWeave.JVM_OPTIONS.size()))
        .isEqualTo(ForkedWeave.JVM_OPTIONS);
    assertThat(command.subList(baton + ForkedWeave.JVM_OPTIONS.size(), baton + ForkedWeave.JVM_OPTIONS.size() + 2))
        .containsExactly("-Xmx2g", "-Dprofile=on");
    assertThat(command.subList(command.size() - 2, command.size()))
        .containsExactly("dev.baton.maven.ForkedWeave", "request.txt");
  }

  @Test
  void withoutTheOptionOnlyBatonsOwn() throws Exception {
    List<String> command = ForkedWeave.command("Main", Path.of("r"));

    assertThat(command).hasSize(1 + ForkedWeave.JVM_OPTIONS.size() + 2 + 2);
  }
}
