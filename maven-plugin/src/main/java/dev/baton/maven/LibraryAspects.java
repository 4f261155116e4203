package dev.baton.maven;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>Which of Baton's library aspects to weave, decided at build time from the classpath. Each
 * aspect jar lists its aspects in {@value #DESCRIPTOR} with the type each needs (SQS call sites
 * need the SQS client): an aspect whose advice names a type missing from the classpath makes ajc
 * report {@code Xlint:cantFindType} for every woven class. The chosen aspects and every generated
 * aspect are handed to ajc in an {@code aop-ajc.xml} ({@code -xmlConfigured}), which weaves only
 * the aspects it lists. An aspect that needs a JDK type ({@code java.net.http.HttpClient}) is
 * always enabled.
 */
final class LibraryAspects {

  static final String DESCRIPTOR = "META-INF/baton/library-aspects.properties";
  static final String AOP_XML = "aop-ajc.xml";

  private LibraryAspects() {}

  /** The library aspects whose required type is on {@code classpath}, by name. */
  static List<String> enabled(List<Path> aspectpath, List<Path> classpath) throws IOException {
    Map<String, String> required = new TreeMap<>();
    for (Path library : aspectpath) {
      required.putAll(descriptor(library));
    }
    Set<String> found = onClasspath(new HashSet<>(required.values()), classpath);
    for (String type : required.values()) {
      if (isJdkType(type)) {
        found.add(type);
      }
    }
    List<String> enabled = new ArrayList<>();
    for (Map.Entry<String, String> aspect : required.entrySet()) {
      if (found.contains(aspect.getValue())) {
        enabled.add(aspect.getKey());
      }
    }
    return enabled;
  }

  /**
   * Whether {@code type} is the JDK's ({@code java.net.http.HttpClient}): every Java 17 a
   * function is built and run on has it, and its class file is in no classpath entry.
   */
  static boolean isJdkType(String type) {
    return type.startsWith("java.");
  }

  /** Writes the aop xml listing {@code aspects}; returns its path. */
  static Path writeAopXml(Path directory, List<String> aspects) throws IOException {
    StringBuilder xml = new StringBuilder("<aspectj>\n  <aspects>\n");
    for (String aspect : aspects) {
      xml.append("    <aspect name=\"").append(aspect).append("\"/>\n");
    }
    xml.append("  </aspects>\n</aspectj>\n");
    Files.createDirectories(directory);
    Path file = directory.resolve(AOP_XML);
    Files.writeString(file, xml, StandardCharsets.UTF_8);
    return file;
  }

  private static Map<String, String> descriptor(Path library) throws IOException {
    Properties properties = new Properties();
    if (Files.isDirectory(library)) {
      Path file = library.resolve(DESCRIPTOR);
      if (Files.isRegularFile(file)) {
        try (InputStream in = Files.newInputStream(file)) {
          properties.load(in);
        }
      }
    } else if (Files.isRegularFile(library)) {
      try (JarFile jar = new JarFile(library.toFile())) {
        ZipEntry entry = jar.getEntry(DESCRIPTOR);
        if (entry != null) {
          try (InputStream in = jar.getInputStream(entry)) {
            properties.load(in);
          }
        }
      }
    }
    Map<String, String> aspects = new TreeMap<>();
    properties.stringPropertyNames().forEach(name -> aspects.put(name, properties.getProperty(name).trim()));
    return aspects;
  }

  /**
   * Which of {@code types} have their class file in a directory or jar of {@code classpath}: each
   * entry is opened once, and not at all once every type is found.
   */
  private static Set<String> onClasspath(Set<String> types, List<Path> classpath)
      throws IOException {
    Set<String> found = new HashSet<>();
    for (Path entry : classpath) {
      if (found.size() == types.size()) {
        break;
      }
      if (Files.isDirectory(entry)) {
        for (String type : types) {
          if (Files.isRegularFile(entry.resolve(ClassFiles.relativePath(type)))) {
            found.add(type);
          }
        }
      } else if (Files.isRegularFile(entry)) {
        try (JarFile jar = new JarFile(entry.toFile())) {
          for (String type : types) {
            if (jar.getEntry(ClassFiles.relativePath(type)) != null) {
              found.add(type);
            }
          }
        } catch (IOException e) {
          throw new IOException("Could not read " + entry, e);
        }
      }
    }
    return found;
  }
}
