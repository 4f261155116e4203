package dev.baton.maven;

import java.nio.file.Path;
import java.util.List;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>What to weave, independent of Maven.
 *
 * @param classesDirectory javac's output, woven in place ({@code target/classes})
 * @param generatedSourcesDirectory where the processor wrote the aspects ({@code
 *     target/generated-sources/annotations})
 * @param reportDirectory where the weave report goes ({@code target/baton})
 * @param workDirectory where unwoven originals and the weave state are kept ({@code target/baton})
 * @param classpath the compile classpath, without the classes directory, and AspectJ's runtime
 *     (which ajc compiles the aspects against; the woven classes do not refer to it)
 * @param aspectpath library aspect jars ({@code baton-aspects}) woven in as well
 */
record WeaveRequest(
    Path classesDirectory,
    Path generatedSourcesDirectory,
    Path reportDirectory,
    Path workDirectory,
    List<Path> classpath,
    List<Path> aspectpath) {

  WeaveRequest {
    classpath = List.copyOf(classpath);
    aspectpath = List.copyOf(aspectpath);
  }
}
