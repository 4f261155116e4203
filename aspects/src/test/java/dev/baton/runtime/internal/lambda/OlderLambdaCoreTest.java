package dev.baton.runtime.internal.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.runtime.internal.Failures;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A function whose deployment package has aws-lambda-java-core before 1.4.0, where {@code
 * Context} has no {@code getXrayTraceId()}: Baton, compiled against 1.4.0, then gets a real
 * {@code NoSuchMethodError} from the JVM at that call. The test builds that situation for real:
 * it compiles the older {@code Context} (without the method; reduced to one other method, which is
 * all that matters here) and loads it with a fresh copy of {@link IncomingContext} in a class
 * loader of their own, everything else coming from the test's class path. That copy's static
 * state is its own, so what it learns does not leak into other tests.
 */
class OlderLambdaCoreTest {

  private static final String CONTEXT = "com.amazonaws.services.lambda.runtime.Context";
  private static final String INCOMING_CONTEXT = IncomingContext.class.getName();
  private static final String XRAY =
      "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";

  private final Logger batonLog = Logger.getLogger("dev.baton");
  private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
  private final Handler recorder =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          logged.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @AfterEach
  void clear() {
    batonLog.removeHandler(recorder);
    System.clearProperty(IncomingContext.XRAY_TRACE_HEADER_PROPERTY);
  }

  @Test
  void theMissingGetterIsReportedOnceAndNotCalledAgain(@TempDir Path dir) throws Exception {
    ClassLoader olderCore = new OlderCoreLoader(compileOlderContext(dir), getClass().getClassLoader());
    Class<?> context = olderCore.loadClass(CONTEXT);
    assertThat(context.getMethods()).extracting(Method::getName).doesNotContain("getXrayTraceId");
    Method lambdaXrayHeader =
        olderCore.loadClass(INCOMING_CONTEXT).getDeclaredMethod("lambdaXrayHeader", context, boolean.class);
    lambdaXrayHeader.setAccessible(true);
    Object lambdaContext =
        Proxy.newProxyInstance(olderCore, new Class<?>[] {context}, (proxy, method, args) -> "req-1");
    System.setProperty(IncomingContext.XRAY_TRACE_HEADER_PROPERTY, XRAY);
    batonLog.addHandler(recorder);
    long before = Failures.count();

    for (int invocation = 0; invocation < 3; invocation++) {
      assertThat(lambdaXrayHeader.invoke(null, lambdaContext, false))
          .as("the header is still found, JVM-wide, one invocation at a time")
          .isEqualTo(XRAY);
    }

    assertThat(Failures.count()).as("once, not per invocation").isEqualTo(before + 1);
    assertThat(logged).singleElement().satisfies(record -> {
      assertThat(record.getThrown()).isInstanceOf(NoSuchMethodError.class);
      assertThat(record.getMessage()).contains("aws-lambda-java-core 1.4.0 or newer");
    });
  }

  /** The {@code Context} of aws-lambda-java-core before 1.4.0, compiled into {@code dir}. */
  private static Path compileOlderContext(Path dir) throws IOException {
    Path source = dir.resolve("src/com/amazonaws/services/lambda/runtime/Context.java");
    Files.createDirectories(source.getParent());
    Files.writeString(
        source,
        "package com.amazonaws.services.lambda.runtime;\n"
            + "public interface Context {\n"
            + "  String getAwsRequestId();\n"
            + "}\n");
    Path classes = Files.createDirectories(dir.resolve("classes"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int status = javac.run(null, null, null, "-d", classes.toString(), source.toString());
    assertThat(status).as("javac").isZero();
    return classes;
  }

  /**
   * Child-first for the older {@code Context} and {@link IncomingContext} (with its nested
   * classes), the parent for everything else.
   */
  private static final class OlderCoreLoader extends ClassLoader {
    private final Path olderCore;

    OlderCoreLoader(Path olderCore, ClassLoader parent) {
      super(parent);
      this.olderCore = olderCore;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      synchronized (getClassLoadingLock(name)) {
        Class<?> loaded = findLoadedClass(name);
        if (loaded == null) {
          byte[] bytes = null;
          String file = name.replace('.', '/') + ".class";
          if (name.equals(CONTEXT)) {
            bytes = read(olderCore.resolve(file));
          } else if (name.equals(INCOMING_CONTEXT) || name.startsWith(INCOMING_CONTEXT + "$")) {
            bytes = read(getParent(), file);
          }
          loaded = bytes == null ? super.loadClass(name, false) : defineClass(name, bytes, 0, bytes.length);
        }
        if (resolve) {
          resolveClass(loaded);
        }
        return loaded;
      }
    }

    private static byte[] read(Path file) {
      try {
        return Files.readAllBytes(file);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private static byte[] read(ClassLoader loader, String file) {
      try (InputStream in = loader.getResourceAsStream(file)) {
        return in.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
