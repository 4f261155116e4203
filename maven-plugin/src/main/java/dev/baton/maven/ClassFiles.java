package dev.baton.maven;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/** Internal: not part of Baton's public API. Listing, hashing and copying class files. */
final class ClassFiles {

  private ClassFiles() {}

  /**
   * The class files under {@code root}, as sorted relative paths with {@code /} separators
   * ({@code com/acme/Foo.class}); none when {@code root} does not exist.
   */
  static List<String> list(Path root) throws IOException {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(root)) {
      return files
          .filter(file -> file.getFileName().toString().endsWith(".class"))
          .filter(Files::isRegularFile)
          .map(file -> relative(root, file))
          .sorted()
          .toList();
    }
  }

  static String relative(Path root, Path file) {
    return root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
  }

  /** {@code com.acme.Outer$Inner} as the relative path {@code com/acme/Outer$Inner.class}. */
  static String relativePath(String className) {
    return className.replace('.', '/') + ".class";
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  static String sha256(Path file) {
    try {
      return sha256(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes {@code bytes} to {@code file}, creating its directories. */
  static void write(Path file, byte[] bytes) throws IOException {
    Files.createDirectories(file.getParent());
    Files.write(file, bytes);
  }

  /** Deletes {@code directory} and everything in it, if it exists. */
  static void deleteRecursively(Path directory) throws IOException {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> files = Files.walk(directory)) {
      for (Path file : files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.delete(file);
      }
    }
  }
}
