package dev.baton.maven;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.artifact.DependencyResolutionRequiredException;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.Log;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.project.MavenProject;

/**
 * Weaves the {@code @Traced} methods of javac's output into OpenTelemetry spans, in place.
 *
 * <p>Compiles the aspects that {@code baton-processor} generated with the AspectJ compiler and
 * weaves them, and the library aspects of the {@code baton-aspects} dependency, into the classes
 * directory. The build fails when a {@code @Traced} method was not woven or when weaving introduced
 * reflection or any reference to AspectJ: the woven classes run without the AspectJ runtime.
 * Building again without {@code clean} never weaves a class twice, and weaves again only the
 * classes that changed (and those that name them); the others' woven bytes are taken from the
 * copy in {@code target/baton/woven}, the same bytes a clean build writes. Writes {@code
 * weave-report.json} and {@code weave-report.html} listing every woven join point.
 *
 * @since 0.1.0
 */
@Mojo(
    name = "weave",
    defaultPhase = LifecyclePhase.PROCESS_CLASSES,
    requiresDependencyResolution = ResolutionScope.COMPILE,
    threadSafe = true)
public final class WeaveMojo extends AbstractMojo {

  private static final String ASPECTS_GROUP = "dev.baton";
  private static final String ASPECTS_ARTIFACT = "baton-aspects";
  private static final String ASPECTJ_GROUP = "org.aspectj";
  private static final String ASPECTJ_RUNTIME = "aspectjrt";

  /**
   * The classes to weave, in place: javac's output.
   *
   * @since 0.1.0
   */
  @Parameter(
      property = "baton.classesDirectory",
      defaultValue = "${project.build.outputDirectory}",
      required = true)
  private File classesDirectory;

  /**
   * Where {@code baton-processor} wrote the aspects ({@code *_BatonAspect.aj}) and their metadata:
   * javac's generated-sources directory.
   *
   * @since 0.1.0
   */
  @Parameter(
      property = "baton.generatedSourcesDirectory",
      defaultValue = "${project.build.directory}/generated-sources/annotations",
      required = true)
  private File generatedSourcesDirectory;

  /**
   * Where {@code weave-report.json} and {@code weave-report.html} are written.
   *
   * @since 0.1.0
   */
  @Parameter(
      property = "baton.reportDirectory",
      defaultValue = "${project.build.directory}/baton",
      required = true)
  private File reportDirectory;

  /**
   * Skips weaving. The classes then create no spans.
   *
   * @since 0.1.0
   */
  @Parameter(property = "baton.skip", defaultValue = "false")
  private boolean skip;

  /**
   * Weaves in a JVM of its own, started with options that suit one short run of the AspectJ
   * compiler (C1 only, serial collector), which takes about half the CPU time of weaving inside
   * Maven's JVM. {@code false} weaves inside Maven's JVM; the classes woven are the same.
   *
   * @since 0.1.0
   */
  @Parameter(property = "baton.fork", defaultValue = "true")
  private boolean fork;

  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  private MavenProject project;

  /**
   * Every artifact this plugin depends on, directly or not (aspectjtools, ASM, ...): {@code
   * aspectjrt} is looked up among them and put on ajc's classpath to compile the aspects against.
   */
  @Parameter(defaultValue = "${plugin.artifacts}", readonly = true, required = true)
  private List<Artifact> pluginArtifacts;

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    if (skip) {
      getLog().info("[baton] weaving skipped (baton.skip)");
      return;
    }
    Path classes = classesDirectory.toPath().toAbsolutePath().normalize();
    if (!Files.isDirectory(classes)) {
      getLog().info("[baton] nothing to weave: " + classes + " does not exist");
      return;
    }
    WeaveRequest request =
        new WeaveRequest(
            classes,
            generatedSourcesDirectory.toPath(),
            reportDirectory.toPath(),
            Path.of(project.getBuild().getDirectory(), "baton"),
            classpath(classes),
            aspectpath());
    try {
      WeaveLog log = new MavenWeaveLog(getLog());
      WeaveResult result =
          fork ? ForkedWeave.weave(request, log) : new Weaver(log).weave(request);
      getLog().info(result.describe(project.getBasedir().toPath()));
    } catch (WeaveException e) {
      throw new MojoFailureException(e.getMessage(), e);
    } catch (IOException | RuntimeException e) {
      throw new MojoExecutionException("[baton] weaving " + classes + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * The compile classpath without the classes directory, which ajc reads from its copy, and with
   * AspectJ's runtime at the end: ajc needs it to compile the aspects, but the woven classes refer
   * to nothing in it, so the project does not depend on it.
   */
  private List<Path> classpath(Path classes) throws MojoExecutionException {
    List<String> elements;
    try {
      elements = project.getCompileClasspathElements();
    } catch (DependencyResolutionRequiredException e) {
      throw new MojoExecutionException("[baton] the compile classpath is not resolved", e);
    }
    List<Path> classpath = new ArrayList<>();
    for (String element : elements) {
      Path path = Path.of(element).toAbsolutePath().normalize();
      if (!path.equals(classes) && Files.exists(path)) {
        classpath.add(path);
      }
    }
    classpath.add(aspectjRuntime());
    return classpath;
  }

  private Path aspectjRuntime() throws MojoExecutionException {
    for (Artifact artifact : pluginArtifacts) {
      if (ASPECTJ_GROUP.equals(artifact.getGroupId())
          && ASPECTJ_RUNTIME.equals(artifact.getArtifactId())
          && artifact.getFile() != null) {
        return artifact.getFile().toPath();
      }
    }
    throw new MojoExecutionException(
        "[baton] " + ASPECTJ_GROUP + ":" + ASPECTJ_RUNTIME
            + " is missing from the plugin's dependencies");
  }

  /** The {@code baton-aspects} jar among the dependencies: its library aspects are woven too. */
  private List<Path> aspectpath() {
    List<Path> aspectpath = new ArrayList<>();
    for (Artifact artifact : project.getArtifacts()) {
      if (ASPECTS_GROUP.equals(artifact.getGroupId())
          && ASPECTS_ARTIFACT.equals(artifact.getArtifactId())
          && artifact.getFile() != null) {
        aspectpath.add(artifact.getFile().toPath());
      }
    }
    if (aspectpath.isEmpty()) {
      getLog().warn(
          "[baton] dev.baton:baton-aspects is not a dependency of "
              + project.getId()
              + ": woven code needs it at run time; add it with the default (compile) scope");
    }
    return aspectpath;
  }

  /** Maven's log as the weaver's. */
  private record MavenWeaveLog(Log log) implements WeaveLog {
    @Override
    public void warn(String message) {
      log.warn(message);
    }

    @Override
    public void debug(String message) {
      log.debug(message);
    }
  }
}
