package dev.baton.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which library aspects the classpath enables. */
class LibraryAspectsTest {

  @TempDir Path directory;

  @Test
  void anAspectIsEnabledWhenItsTypeIsInADirectoryOrAJarOfTheClasspath() throws Exception {
    Path aspects = directory.resolve("aspects");
    Files.createDirectories(aspects.resolve("META-INF/baton"));
    Files.writeString(
        aspects.resolve(LibraryAspects.DESCRIPTOR),
        "com.acme.SqsCalls=software.amazon.Sqs\n"
            + "com.acme.SnsCalls=software.amazon.Sns\n"
            + "com.acme.SqsToo=software.amazon.Sqs\n"
            + "com.acme.LambdaCalls=software.amazon.Lambda$Client\n");
    Path classes = directory.resolve("classes");
    Files.createDirectories(classes.resolve("software/amazon"));
    Files.write(classes.resolve("software/amazon/Sqs.class"), new byte[0]);
    Path jar = directory.resolve("sns.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new JarEntry("software/amazon/Sns.class"));
    }

    assertThat(LibraryAspects.enabled(List.of(aspects), List.of(classes, jar)))
        .containsExactly("com.acme.SnsCalls", "com.acme.SqsCalls", "com.acme.SqsToo");
    assertThat(LibraryAspects.enabled(List.of(aspects), List.of())).isEmpty();
  }

  @Test
  void anAspectOnAJdkTypeIsAlwaysEnabled() throws Exception {
    Path aspects = directory.resolve("aspects");
    Files.createDirectories(aspects.resolve("META-INF/baton"));
    Files.writeString(
        aspects.resolve(LibraryAspects.DESCRIPTOR),
        "com.acme.JdkHttpCalls=java.net.http.HttpClient\n"
            + "com.acme.OkHttpCalls=okhttp3.OkHttpClient\n");

    assertThat(LibraryAspects.enabled(List.of(aspects), List.of()))
        .containsExactly("com.acme.JdkHttpCalls");
  }
}
