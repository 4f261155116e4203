package dev.baton.maven;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>The unwoven copy of the classes directory in {@code target/baton/unwoven}, which every weave
 * starts from. A class in the classes directory is either what the last weave wrote there (its
 * hash is in {@link WeaveState}; the copy already holds its original), or fresh javac output,
 * which becomes the new original. Classes the last weave generated (compiled aspects) are never
 * originals: they are compiled again from their source.
 */
final class UnwovenClasses {

  private UnwovenClasses() {}

  /**
   * What {@link #synchronize} found.
   *
   * @param originals every original class: relative path to the hash of its bytes
   * @param inClassesDirectory every class in the classes directory as it was found: relative path
   *     to the hash of its bytes
   */
  record Synchronized(Map<String, String> originals, Map<String, String> inClassesDirectory) {

    /** Whether every class the last weave wrote is still in the classes directory, unchanged. */
    boolean stillInPlace(WeaveState previous) {
      return isIn(previous.woven()) && isIn(previous.generated());
    }

    private boolean isIn(Map<String, String> written) {
      for (Map.Entry<String, String> entry : written.entrySet()) {
        if (!entry.getValue().equals(inClassesDirectory.get(entry.getKey()))) {
          return false;
        }
      }
      return true;
    }
  }

  /** Brings {@code unwovenDirectory} up to date with {@code classesDirectory}. */
  static Synchronized synchronize(
      Path classesDirectory, Path unwovenDirectory, WeaveState previous) throws IOException {
    Map<String, String> originals = new TreeMap<>();
    Map<String, String> inClassesDirectory = new TreeMap<>();
    for (String path : ClassFiles.list(classesDirectory)) {
      byte[] current = Files.readAllBytes(classesDirectory.resolve(path));
      String hash = ClassFiles.sha256(current);
      inClassesDirectory.put(path, hash);
      if (hash.equals(previous.generated().get(path))) {
        continue;
      }
      Path original = unwovenDirectory.resolve(path);
      if (hash.equals(previous.woven().get(path))) {
        if (!Files.isRegularFile(original)) {
          throw new IOException(
              path
                  + " in "
                  + classesDirectory
                  + " was woven by an earlier build, but its unwoven original is missing from "
                  + unwovenDirectory
                  + "; run 'mvn clean' to compile and weave from scratch");
        }
        originals.put(path, ClassFiles.sha256(original));
      } else {
        if (!Files.isRegularFile(original) || !hash.equals(ClassFiles.sha256(original))) {
          ClassFiles.write(original, current);
        }
        originals.put(path, hash);
      }
    }
    removeAllBut(unwovenDirectory, originals.keySet());
    return new Synchronized(originals, inClassesDirectory);
  }

  /** Deletes the copies of classes that javac no longer produces. */
  private static void removeAllBut(Path unwovenDirectory, Set<String> keep) throws IOException {
    for (String path : ClassFiles.list(unwovenDirectory)) {
      if (!keep.contains(path)) {
        Files.delete(unwovenDirectory.resolve(path));
      }
    }
  }
}
