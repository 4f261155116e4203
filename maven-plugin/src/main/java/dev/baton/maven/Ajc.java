package dev.baton.maven;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.aspectj.bridge.IMessage;
import org.aspectj.bridge.ISourceLocation;
import org.aspectj.bridge.MessageHandler;
import org.aspectj.tools.ajc.Main;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>One in-process run of the AspectJ compiler: compiles the generated aspects and weaves them
 * and the library aspects into the unwoven classes. Arguments go straight to ajc, so no argument
 * file is ever written.
 */
final class Ajc {

  private Ajc() {}

  /**
   * What ajc said.
   *
   * @param joinPoints every join point woven
   * @param warnings Xlint and other warnings, each with its file and line
   * @param errors errors, each with its file and line; the weave failed if there are any
   * @param failure an exception ajc crashed with, or {@code null}
   */
  record Outcome(
      List<JoinPoint> joinPoints, List<String> warnings, List<String> errors, Throwable failure) {}

  /**
   * Runs ajc.
   *
   * @param aopXml the aspects to weave (see {@link LibraryAspects})
   * @param javaVersion the Java version of the classes, for {@code -source} and {@code -target}
   */
  static Outcome run(
      Path inpath,
      List<Path> aspectSources,
      List<Path> aspectpath,
      List<Path> classpath,
      Path aopXml,
      int javaVersion,
      Path outputDirectory) {
    List<String> arguments = new ArrayList<>();
    arguments.add("-source");
    arguments.add(String.valueOf(javaVersion));
    arguments.add("-target");
    arguments.add(String.valueOf(javaVersion));
    arguments.add("-encoding");
    arguments.add("UTF-8");
    // Annotation processors on the classpath (Lombok, ours) already ran in javac.
    arguments.add("-proc:none");
    arguments.add("-showWeaveInfo");
    // Every lint at warning level: shown to the user, never ignored.
    arguments.add("-Xlint:warning");
    // We keep the unwoven classes ourselves; ajc need not record reweaving state in each class.
    arguments.add("-XnotReweavable");
    arguments.add("-inpath");
    arguments.add(inpath.toString());
    if (!aspectpath.isEmpty()) {
      arguments.add("-aspectpath");
      arguments.add(joined(aspectpath));
    }
    // Only the aspects listed there are woven: the generated ones and the library aspects whose
    // SDK types are on the classpath.
    arguments.add("-xmlConfigured");
    arguments.add(aopXml.toString());
    arguments.add("-classpath");
    arguments.add(joined(classpath));
    arguments.add("-d");
    arguments.add(outputDirectory.toString());
    for (Path source : aspectSources) {
      arguments.add(source.toString());
    }

    MessageHandler messages = new MessageHandler(true);
    messages.dontIgnore(IMessage.WEAVEINFO);
    Throwable failure = null;
    try {
      new Main().run(arguments.toArray(new String[0]), messages);
    } catch (RuntimeException | LinkageError e) {
      failure = e;
    }

    List<JoinPoint> joinPoints = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    for (IMessage message : messages.getUnmodifiableListView()) {
      if (message.getKind() == IMessage.WEAVEINFO) {
        JoinPoint joinPoint = JoinPoint.parse(message.getMessage());
        if (joinPoint != null) {
          joinPoints.add(joinPoint);
        }
      } else if (message.getKind() == IMessage.WARNING) {
        warnings.add(describe(message));
      } else if (message.isError() || message.isFailed() || message.isAbort()) {
        errors.add(describe(message));
        if (failure == null && message.getThrown() != null) {
          failure = message.getThrown();
        }
      }
    }
    return new Outcome(joinPoints, warnings, errors, failure);
  }

  /** {@code /path/Foo.aj:12: message}, or just the message when it has no location. */
  private static String describe(IMessage message) {
    ISourceLocation location = message.getSourceLocation();
    String text = message.getMessage();
    if (location == null || location.getSourceFile() == null) {
      return text;
    }
    String file = location.getSourceFile().getPath();
    return (location.getLine() > 0 ? file + ":" + location.getLine() : file) + ": " + text;
  }

  private static String joined(List<Path> paths) {
    return paths.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
  }
}
