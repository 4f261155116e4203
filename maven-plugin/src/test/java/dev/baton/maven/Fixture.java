package dev.baton.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * A project as javac and the processor leave it before {@code baton:weave}: the fixture sources
 * ({@code OrderService}, and a nested {@code Shipping.Courier}) compiled with Baton's processor
 * (this module's test dependency: its output today, never a copy that drifts) into {@code
 * target/classes}, the generated {@code _BatonSpans} compiled with them, the {@code .aj} and
 * {@code .properties} files in {@code target/generated-sources/annotations}.
 */
final class Fixture {

  static final String ORDER_SERVICE = "com/acme/OrderService.class";

  final Path target;
  final Path classes;
  final Path generatedSources;

  private Fixture(Path target) {
    this.target = target;
    this.classes = target.resolve("classes");
    this.generatedSources = target.resolve("generated-sources/annotations");
  }

  /** Compiles the fixture into {@code directory}, with its aspects generated. */
  static Fixture compiled(Path directory) throws IOException {
    Fixture fixture = new Fixture(directory.resolve("target"));
    fixture.compile();
    return fixture;
  }

  /**
   * Compiles the fixture sources (again, as javac does on a rebuild without clean), with Baton's
   * processor; no log correlation (the test classpath happens to have a logging API).
   */
  void compile() throws IOException {
    List<String> arguments = new ArrayList<>(List.of("-g", "--release", "17"));
    arguments.addAll(List.of("-classpath", System.getProperty("java.class.path")));
    arguments.addAll(List.of("-processor", "dev.baton.processor.BatonProcessor", "-Abaton.logs=none"));
    arguments.addAll(List.of("-d", classes.toString(), "-s", generatedSources.toString()));
    Files.createDirectories(generatedSources);
    try (Stream<Path> files = Files.walk(sources())) {
      files.filter(file -> file.toString().endsWith(".java")).forEach(f -> arguments.add(f.toString()));
    }
    Files.createDirectories(classes);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    java.io.ByteArrayOutputStream errors = new java.io.ByteArrayOutputStream();
    assertThat(javac.run(null, null, errors, arguments.toArray(new String[0])))
        .as("javac exit code; it said:\n" + errors)
        .isZero();
  }

  WeaveRequest request() {
    return new WeaveRequest(
        classes,
        generatedSources,
        target.resolve("baton"),
        target.resolve("baton"),
        classpath(),
        List.of(aspectsJar()));
  }

  byte[] read(String classFile) throws IOException {
    return Files.readAllBytes(classes.resolve(classFile));
  }

  /**
   * A fresh class loader for the classes directory, over the test's OpenTelemetry and runtime but
   * without AspectJ (which the test classpath has: aspectjtools and aspectjrt, the plugin's
   * dependencies): woven code runs without it.
   */
  WovenClassLoader classLoader() {
    try {
      return new WovenClassLoader(classes.toUri().toURL());
    } catch (MalformedURLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Loads the classes directory; no class in {@code org.aspectj} is found. */
  static final class WovenClassLoader extends URLClassLoader {

    WovenClassLoader(URL classes) {
      super(new URL[] {classes}, new WithoutAspectJ(Fixture.class.getClassLoader()));
    }

    /** Whether this loader has loaded the class {@code name}, e.g. an aspect. */
    boolean hasLoaded(String name) {
      return findLoadedClass(name) != null;
    }
  }

  private static final class WithoutAspectJ extends ClassLoader {

    WithoutAspectJ(ClassLoader parent) {
      super(parent);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (name.startsWith("org.aspectj.")) {
        throw new ClassNotFoundException(name + " (hidden: woven code must run without AspectJ)");
      }
      return super.loadClass(name, resolve);
    }
  }

  /**
   * The test classpath: annotations, runtime, OpenTelemetry, and AspectJ (aspectjtools and
   * aspectjrt, the plugin's dependencies), which ajc compiles the aspects against.
   */
  static List<Path> classpath() {
    return Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
        .map(Path::of)
        .filter(Files::exists)
        .toList();
  }

  static Path aspectsJar() {
    return classpath().stream()
        .filter(entry -> entry.getFileName().toString().startsWith("baton-aspects"))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("baton-aspects is not on the test classpath"));
  }

  private static Path sources() {
    try {
      return Path.of(Fixture.class.getResource("/fixtures/order-service").toURI());
    } catch (URISyntaxException e) {
      throw new UncheckedIOException(new IOException(e));
    }
  }
}
