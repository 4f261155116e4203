package dev.baton.maven;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.objectweb.asm.ClassReader;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>A key for each original class that changes whenever what ajc writes for it may change, so
 * that a rebuild weaves again only the classes whose key changed and takes the others' woven
 * bytes from the last weave. A class's key hashes:
 *
 * <ul>
 *   <li>what every class of the weave shares: the plugin, the library aspects, the classpath and
 *       the Java version (the {@code global} hash);
 *   <li>the class's bytes;
 *   <li>its generated aspect's source and metadata, if it has one (each generated aspect weaves
 *       only its own type: exact {@code execution} pointcuts within that type);
 *   <li>the bytes of every class of the classes directory that the class or its aspect names
 *       (the class's constant pool: the types it calls, extends, declares; the aspect's source:
 *       its {@code _BatonSpans} and the types in its signatures), and of all their supertypes
 *       there, since a call-site pointcut such as {@code call(* SqsClient+.sendMessage(..))}
 *       matches on the hierarchy of the type called.
 * </ul>
 *
 * Bytes are compared, never timestamps: javac may compile every class again when one changed.
 */
final class WeaveUnits {

  private static final Pattern QUALIFIED_NAME =
      Pattern.compile("[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}.]*");
  private static final Pattern DESCRIBED_TYPE = Pattern.compile("L([^;<>]+)[;<]");

  private WeaveUnits() {}

  /**
   * The key of every original class.
   *
   * @param unwoven the directory of the originals
   * @param originals relative path to hash of every original class
   * @param aspects the generated aspects woven, each weaving its own type
   * @param global the hash of what every class's weave shares
   */
  static Map<String, String> keys(
      Path unwoven, Map<String, String> originals, List<GeneratedAspect> aspects, String global)
      throws IOException {
    Map<String, String> byInternalName = new HashMap<>();
    Map<String, String> byDottedName = new HashMap<>();
    for (String path : originals.keySet()) {
      String internalName = path.substring(0, path.length() - ".class".length());
      byInternalName.put(internalName, path);
      byDottedName.put(internalName.replace('/', '.').replace('$', '.'), path);
    }
    Map<String, Set<String>> references = new HashMap<>();
    Map<String, Set<String>> supertypes = new HashMap<>();
    for (String path : originals.keySet()) {
      byte[] bytes = Files.readAllBytes(unwoven.resolve(path));
      ClassReader reader = new ClassReader(bytes);
      references.put(path, referencedClasses(bytes, reader, byInternalName));
      Set<String> supers = new HashSet<>();
      addIfOriginal(reader.getSuperName(), byInternalName, supers);
      for (String type : reader.getInterfaces()) {
        addIfOriginal(type, byInternalName, supers);
      }
      supertypes.put(path, supers);
    }
    Map<String, GeneratedAspect> aspectOf = new HashMap<>();
    for (GeneratedAspect aspect : aspects) {
      aspectOf.put(ClassFiles.relativePath(aspect.type()), aspect);
    }

    Map<String, String> keys = new TreeMap<>();
    for (String path : originals.keySet()) {
      Set<String> named = new HashSet<>(references.get(path));
      GeneratedAspect aspect = aspectOf.get(path);
      StringBuilder key = new StringBuilder(global).append('\n');
      key.append(path).append(' ').append(originals.get(path)).append('\n');
      if (aspect != null) {
        String source = Files.readString(aspect.source(), StandardCharsets.UTF_8);
        named.addAll(namedInAspect(aspect, source, byDottedName, byInternalName));
        key.append("aspect ").append(aspect.source()).append(' ');
        key.append(ClassFiles.sha256(source.getBytes(StandardCharsets.UTF_8))).append(' ');
        key.append(ClassFiles.sha256(aspect.metadata())).append('\n');
      }
      named.add(path);
      Set<String> dependencies = new TreeSet<>(withSupertypes(named, supertypes));
      dependencies.remove(path);
      for (String dependency : dependencies) {
        key.append(dependency).append(' ').append(originals.get(dependency)).append('\n');
      }
      keys.put(path, ClassFiles.sha256(key.toString().getBytes(StandardCharsets.UTF_8)));
    }
    return keys;
  }

  /**
   * The original classes a class's constant pool names: class entries, and the types in
   * descriptors and signatures.
   */
  private static Set<String> referencedClasses(
      byte[] bytes, ClassReader reader, Map<String, String> originals) {
    Set<String> referenced = new HashSet<>();
    for (int i = 1; i < reader.getItemCount(); i++) {
      int offset = reader.getItem(i);
      if (offset == 0 || reader.readByte(offset - 1) != 1) { // CONSTANT_Utf8
        continue;
      }
      // Modified UTF-8 differs from UTF-8 only in characters no class name of ours has.
      String text =
          new String(bytes, offset + 2, reader.readUnsignedShort(offset), StandardCharsets.UTF_8);
      addIfOriginal(text.startsWith("[") ? null : text, originals, referenced);
      if (text.indexOf(';') >= 0) {
        Matcher types = DESCRIBED_TYPE.matcher(text);
        while (types.find()) {
          addIfOriginal(types.group(1), originals, referenced);
        }
      }
    }
    return referenced;
  }

  /**
   * The original classes an aspect's source names: its {@code _BatonSpans} (and the classes
   * nested in it), and every qualified or same-package name in it that is an original class.
   */
  private static Set<String> namedInAspect(
      GeneratedAspect aspect,
      String source,
      Map<String, String> byDottedName,
      Map<String, String> byInternalName) {
    Set<String> named = new HashSet<>();
    String aspectName = aspect.aspect();
    int lastDot = aspectName.lastIndexOf('.');
    String packagePrefix = lastDot < 0 ? "" : aspectName.substring(0, lastDot + 1);
    Matcher names = QUALIFIED_NAME.matcher(source);
    while (names.find()) {
      String name = names.group();
      while (name.endsWith(".")) {
        name = name.substring(0, name.length() - 1);
      }
      // A name with members after the type (Foo_BatonSpans.price, a.b.Outer.Inner.CONSTANT).
      for (String prefix = name; !prefix.isEmpty(); prefix = parent(prefix)) {
        String path = byDottedName.get(prefix);
        if (path == null && prefix.indexOf('.') < 0) {
          path = byDottedName.get(packagePrefix + prefix);
        }
        if (path != null) {
          named.add(path);
        }
      }
    }
    String spans =
        aspectName.endsWith(GeneratedAspect.NAME_SUFFIX)
            ? aspectName.substring(0, aspectName.length() - GeneratedAspect.NAME_SUFFIX.length())
                .replace('.', '/')
                + "_BatonSpans"
            : null;
    if (spans != null) {
      addIfOriginal(spans, byInternalName, named);
      for (Map.Entry<String, String> entry : byInternalName.entrySet()) {
        if (entry.getKey().startsWith(spans + "$")) {
          named.add(entry.getValue());
        }
      }
    }
    return named;
  }

  private static String parent(String dottedName) {
    int lastDot = dottedName.lastIndexOf('.');
    return lastDot < 0 ? "" : dottedName.substring(0, lastDot);
  }

  /** {@code classes} and every supertype of theirs among the originals, transitively. */
  private static Set<String> withSupertypes(Set<String> classes, Map<String, Set<String>> supertypes) {
    Set<String> all = new HashSet<>(classes);
    Deque<String> pending = new ArrayDeque<>(classes);
    while (!pending.isEmpty()) {
      for (String supertype : supertypes.getOrDefault(pending.pop(), Set.of())) {
        if (all.add(supertype)) {
          pending.push(supertype);
        }
      }
    }
    return all;
  }

  private static void addIfOriginal(String internalName, Map<String, String> originals, Set<String> to) {
    if (internalName != null) {
      String path = originals.get(internalName);
      if (path != null) {
        to.add(path);
      }
    }
  }
}
