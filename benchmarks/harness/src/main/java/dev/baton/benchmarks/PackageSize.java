package dev.baton.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The size of each variant's deployment package, as Lambda's Java runtime takes it (a zip of the
 * classes and {@code lib/*.jar}): the function's classes zipped, plus every runtime jar. What
 * Baton adds is the Baton package minus the untraced one: {@code baton-aspects} (with Baton's own
 * OTLP/HTTP exporter), the OpenTelemetry API and trace SDK it pulls in, and the generated and
 * woven classes.
 *
 * @param packageBytes package size per variant key
 * @param addedJars the jars the Baton package has and the untraced one has not, with their sizes
 * @param agentBytes the OpenTelemetry Java agent jar
 */
record PackageSize(Map<String, Long> packageBytes, Map<String, Long> addedJars, long agentBytes) {

  static PackageSize measure(Layout layout) {
    Map<String, Long> packages = new LinkedHashMap<>();
    for (Variant variant : List.of(Variant.UNTRACED, Variant.HANDWRITTEN, Variant.BATON, Variant.BATON_SDK, Variant.BATON_AUTOCONFIGURE)) {
      packages.put(variant.key, zippedSize(layout.classes(variant.module)) + jars(layout, variant.module).values().stream().mapToLong(Long::longValue).sum());
    }
    Map<String, Long> added = new TreeMap<>(jars(layout, Variant.BATON.module));
    added.keySet().removeAll(jars(layout, Variant.UNTRACED.module).keySet());
    try {
      return new PackageSize(packages, added, Files.size(layout.otelAgent()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  long addedBytes(Variant variant) {
    return packageBytes.get(variant.key) - packageBytes.get(Variant.UNTRACED.key);
  }

  private static Map<String, Long> jars(Layout layout, String module) {
    Map<String, Long> jars = new TreeMap<>();
    for (String jar : layout.functionClasspath(module).split(File.pathSeparator)) {
      try {
        jars.put(Path.of(jar).getFileName().toString(), Files.size(Path.of(jar)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return jars;
  }

  /** The bytes {@code directory}'s files take in a zip, as in a deployment package. */
  static long zippedSize(Path directory) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes); Stream<Path> files = Files.walk(directory)) {
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
        zip.putNextEntry(new ZipEntry(directory.relativize(file).toString()));
        zip.write(Files.readAllBytes(file));
        zip.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.size();
  }
}
