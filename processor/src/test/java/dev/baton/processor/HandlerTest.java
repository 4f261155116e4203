package dev.baton.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.annotation.processing.SupportedAnnotationTypes;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;
import org.junit.jupiter.api.Test;

/** {@code @TracedHandler}: the trigger's extraction is chosen at compile time from the types. */
class HandlerTest {

  private static Compilation compile(JavaFileObject source) {
    return Compiler.javac().withProcessors(new BatonProcessor()).withOptions("-Abaton.logs=none").compile(source);
  }

  private static String aspect(Compilation compilation, String path) throws Exception {
    return compilation
        .generatedFile(StandardLocation.SOURCE_OUTPUT, path)
        .orElseThrow()
        .getCharContent(true)
        .toString();
  }

  @Test
  void sqsHandlerWithBatchResponseAndMessageProcessing() throws Exception {
    Compilation compilation =
        compile(
            JavaFileObjects.forSourceLines(
                "test.Worker",
                "package test;",
                "import com.amazonaws.services.lambda.runtime.Context;",
                "import com.amazonaws.services.lambda.runtime.RequestHandler;",
                "import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;",
                "import com.amazonaws.services.lambda.runtime.events.SQSEvent;",
                "import dev.baton.Traced;",
                "import dev.baton.TracedHandler;",
                "@TracedHandler",
                "public class Worker implements RequestHandler<SQSEvent, SQSBatchResponse> {",
                "  @Override public SQSBatchResponse handleRequest(SQSEvent event, Context context) {",
                "    return null;",
                "  }",
                "  @Traced void process(SQSEvent.SQSMessage message) {}",
                "}"));
    assertThat(compilation).succeeded();
    assertThat(compilation)
        .generatedSourceFile("test.Worker_BatonSpans")
        .contentsAsUtf8String()
        .contains("return LambdaInvocation.startSqs(event, context);");
    assertThat(compilation)
        .generatedSourceFile("test.Worker_BatonSpans")
        .contentsAsUtf8String()
        .contains("MessageSpans.sqsMessage(null, message)");
    String aspect = aspect(compilation, "test/Worker_BatonAspect.aj");
    org.assertj.core.api.Assertions.assertThat(aspect)
        .contains("invocation.endSqs(result);")
        .contains("invocation.end(failure);")
        .contains("&& args(event, context)");
  }

  @Test
  void eachEventTypeChoosesItsTrigger() throws Exception {
    Compilation compilation =
        compile(
            JavaFileObjects.forSourceLines(
                "test.Functions",
                "package test;",
                "import com.amazonaws.services.lambda.runtime.Context;",
                "import com.amazonaws.services.lambda.runtime.events.*;",
                "import dev.baton.TracedHandler;",
                "import java.util.Map;",
                "public class Functions {",
                "  @TracedHandler public APIGatewayV2HTTPResponse http(APIGatewayV2HTTPEvent e, Context c) {"
                    + " return null; }",
                "  @TracedHandler public APIGatewayProxyResponseEvent rest(APIGatewayProxyRequestEvent e,"
                    + " Context c) { return null; }",
                "  @TracedHandler public void sns(SNSEvent e, Context c) {}",
                "  @TracedHandler public void cron(ScheduledEvent e, Context c) {}",
                "  @TracedHandler public void table(DynamodbEvent e, Context c) {}",
                "  @TracedHandler public String pojo(Map<String, String> e, Context c) { return \"\"; }",
                "}"));
    assertThat(compilation).succeeded();
    String spans =
        compilation
            .generatedSourceFile("test.Functions_BatonSpans")
            .orElseThrow()
            .getCharContent(true)
            .toString();
    org.assertj.core.api.Assertions.assertThat(spans)
        .contains("LambdaInvocation.startHttpApi(event, context)")
        .contains("LambdaInvocation.startApiGateway(event, context)")
        .contains("LambdaInvocation.startSns(event, context)")
        .contains("LambdaInvocation.startOther(LambdaInvocation.TIMER, context)")
        .contains("LambdaInvocation.startOther(LambdaInvocation.DATASOURCE, context)")
        .contains("LambdaInvocation.startOther(LambdaInvocation.OTHER, context)")
        // baton-aspects (with the trace SDK) and no autoconfigure on this test's classpath
        .contains("BuiltInTelemetry.startOnce();")
        .doesNotContain("AutoConfiguredTelemetry");
    org.assertj.core.api.Assertions.assertThat(aspect(compilation, "test/Functions_BatonAspect.aj"))
        .contains("invocation.endHttpApi(result);")
        .contains("invocation.endApiGateway(result);")
        .contains("invocation.end();");
  }

  @Test
  void streamHandler() {
    Compilation compilation =
        compile(
            JavaFileObjects.forSourceLines(
                "test.Streams",
                "package test;",
                "import com.amazonaws.services.lambda.runtime.Context;",
                "import com.amazonaws.services.lambda.runtime.RequestStreamHandler;",
                "import dev.baton.TracedHandler;",
                "import java.io.*;",
                "@TracedHandler",
                "public class Streams implements RequestStreamHandler {",
                "  @Override public void handleRequest(InputStream in, OutputStream out, Context context) {}",
                "}"));
    assertThat(compilation).succeeded();
    assertThat(compilation)
        .generatedSourceFile("test.Streams_BatonSpans")
        .contentsAsUtf8String()
        .contains("LambdaInvocation.startOther(LambdaInvocation.OTHER, context)");
  }

  @Test
  void misuseIsReportedOnTheElement() {
    JavaFileObject source =
        JavaFileObjects.forSourceLines(
            "test.Wrong",
            "package test;",
            "import com.amazonaws.services.lambda.runtime.Context;",
            "import dev.baton.Traced;",
            "import dev.baton.TracedHandler;",
            "@TracedHandler public class Wrong {",
            "  @TracedHandler public void noContext(String event) {}",
            "  @TracedHandler @Traced public void both(String event, Context context) {}",
            "}");
    Compilation compilation = compile(source);
    assertThat(compilation)
        .hadErrorContaining(String.format(ErrorMessages.NOT_A_HANDLER, "test.Wrong"))
        .inFile(source)
        .onLineContaining("public class Wrong");
    assertThat(compilation)
        .hadErrorContaining(String.format(ErrorMessages.HANDLER_WITHOUT_CONTEXT, "noContext(String)"))
        .inFile(source)
        .onLineContaining("noContext");
    assertThat(compilation)
        .hadErrorContaining(String.format(ErrorMessages.HANDLER_ALSO_TRACED, "both(String, Context)"))
        .inFile(source)
        .onLineContaining("both");
  }

  @Test
  void typesAreNamedFromTheirElementsNotGuessedFromTheirNames() {
    Compilation compilation =
        Compiler.javac()
            .withProcessors(new BatonProcessor())
            .compile(
                JavaFileObjects.forSourceLines(
                    "test.lowerCaseHandler",
                    "package test;",
                    "import com.amazonaws.services.lambda.runtime.Context;",
                    "import com.amazonaws.services.lambda.runtime.events.SQSEvent;",
                    "import dev.baton.Traced;",
                    "import dev.baton.TracedHandler;",
                    "public class lowerCaseHandler {",
                    "  @TracedHandler public void handle(SQSEvent event, Context context) {}",
                    "  @Traced void process(SQSEvent.SQSMessage message) {}",
                    "}"),
                JavaFileObjects.forSourceLines(
                    "com.Acme.Orders",
                    "package com.Acme;",
                    "import dev.baton.Traced;",
                    "public class Orders {",
                    "  @Traced public int price(int quantity) { return quantity; }",
                    "}"));
    assertThat(compilation).succeeded();
    assertThat(compilation)
        .generatedSourceFile("test.lowerCaseHandler_BatonSpans")
        .contentsAsUtf8String()
        .contains("{@link lowerCaseHandler}");
    assertThat(compilation)
        .generatedSourceFile("com.Acme.Orders_BatonSpans")
        .contentsAsUtf8String()
        .contains("{@link Orders}");
  }

  /** Generates {@code test.Later} in the first round, so types mentioning it wait a round. */
  @SupportedAnnotationTypes("*")
  private static final class LaterTypeProcessor extends AbstractProcessor {
    private boolean generated;

    @Override
    public SourceVersion getSupportedSourceVersion() {
      return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
      if (!generated) {
        generated = true;
        try (Writer writer = processingEnv.getFiler().createSourceFile("test.Later").openWriter()) {
          writer.write("package test; public final class Later {}");
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return false;
    }
  }

  private static Compilation compileWithLaterType(JavaFileObject source) {
    return Compiler.javac()
        .withProcessors(new BatonProcessor(), new LaterTypeProcessor())
        .compile(source);
  }

  @Test
  void aTypeWaitingForAGeneratedTypeIsTracedInALaterRound() {
    Compilation compilation =
        compileWithLaterType(
            JavaFileObjects.forSourceLines(
                "test.Deferred",
                "package test;",
                "import com.amazonaws.services.lambda.runtime.Context;",
                "import dev.baton.Traced;",
                "import dev.baton.TracedHandler;",
                "public class Deferred {",
                "  @TracedHandler public void handle(Later event, Context context) {}",
                "  @Traced void step(Later later) {}",
                "}"));
    assertThat(compilation).succeeded();
    assertThat(compilation)
        .generatedSourceFile("test.Deferred_BatonSpans")
        .contentsAsUtf8String()
        .contains("LambdaInvocation.startOther(LambdaInvocation.OTHER, context)");
  }

  @Test
  void misuseInADeferredTypeIsReportedOnce() {
    JavaFileObject source =
        JavaFileObjects.forSourceLines(
            "test.WrongLater",
            "package test;",
            "import dev.baton.Traced;",
            "import dev.baton.TracedHandler;",
            "@TracedHandler public class WrongLater {",
            "  @TracedHandler public void noContext(String event) {}",
            "  @Traced void step(Later later) {}",
            "}");
    Compilation compilation = compileWithLaterType(source);
    assertThat(compilation)
        .hadErrorContaining(String.format(ErrorMessages.NOT_A_HANDLER, "test.WrongLater"))
        .inFile(source)
        .onLineContaining("public class WrongLater");
    assertThat(compilation)
        .hadErrorContaining(String.format(ErrorMessages.HANDLER_WITHOUT_CONTEXT, "noContext(String)"))
        .inFile(source)
        .onLineContaining("noContext");
    assertThat(compilation).hadErrorCount(2);
  }

  @Test
  void messageReceivedWithTheSdkBecomesItsProcessSpan() {
    Compilation compilation =
        compile(
            JavaFileObjects.forSourceLines(
                "test.Poller",
                "package test;",
                "import dev.baton.SpanAttribute;",
                "import dev.baton.Traced;",
                "import software.amazon.awssdk.services.sqs.model.Message;",
                "public class Poller {",
                "  @Traced(\"handle order\") void handle(Message message, @SpanAttribute String tier) {}",
                "}"));
    assertThat(compilation).succeeded();
    assertThat(compilation)
        .generatedSourceFile("test.Poller_BatonSpans")
        .contentsAsUtf8String()
        .contains("Span span = SdkMessageSpans.sqsMessage(HANDLE, message);");
  }

  // ---- How handlers set up OpenTelemetry (-Abaton.telemetry, else the compile classpath) ----
  // Stubs stand in for the SDK and runtime classes whose presence the processor looks for, so each
  // test controls what is "on the classpath" (sources win over the test classpath's classes).

  private static final JavaFileObject TIMER_HANDLER =
      JavaFileObjects.forSourceLines(
          "test.Cron",
          "package test;",
          "import com.amazonaws.services.lambda.runtime.Context;",
          "import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;",
          "import dev.baton.TracedHandler;",
          "public class Cron {",
          "  @TracedHandler public void run(ScheduledEvent event, Context context) {}",
          "}");

  private static JavaFileObject stub(String qualifiedName) {
    int dot = qualifiedName.lastIndexOf('.');
    return JavaFileObjects.forSourceLines(
        qualifiedName,
        "package " + qualifiedName.substring(0, dot) + ";",
        "public final class " + qualifiedName.substring(dot + 1) + " {",
        "  public static void startOnce() {}",
        "}");
  }

  private static final JavaFileObject AUTOCONFIGURE_SDK =
      stub("io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk");
  private static final JavaFileObject TRACE_SDK = stub("io.opentelemetry.sdk.trace.SdkTracerProvider");
  private static final JavaFileObject BUILT_IN = stub("dev.baton.runtime.internal.sdk.BuiltInTelemetry");

  private static String cronSpans(Compilation compilation) throws Exception {
    assertThat(compilation).succeeded();
    return compilation
        .generatedSourceFile("test.Cron_BatonSpans")
        .orElseThrow()
        .getCharContent(true)
        .toString();
  }

  private static Compilation compileWith(String option, JavaFileObject... sources) {
    Compiler compiler = Compiler.javac().withProcessors(new BatonProcessor());
    if (option != null) {
      compiler = compiler.withOptions("-Abaton.telemetry=" + option);
    }
    return compiler.compile(sources);
  }

  @Test
  void autoconfigureOnTheClasspathIsChosenByDefault() throws Exception {
    org.assertj.core.api.Assertions.assertThat(
            cronSpans(compileWith(null, TIMER_HANDLER, AUTOCONFIGURE_SDK, TRACE_SDK, BUILT_IN)))
        .contains("AutoConfiguredTelemetry.startOnce();")
        .doesNotContain("BuiltInTelemetry");
  }

  @Test
  void withoutAutoconfigureTheBuiltInTraceOnlySdkIsChosen() throws Exception {
    org.assertj.core.api.Assertions.assertThat(
            cronSpans(compileWith("auto", TIMER_HANDLER, TRACE_SDK, BUILT_IN)))
        .contains("BuiltInTelemetry.startOnce();")
        .doesNotContain("AutoConfiguredTelemetry");
  }

  @Test
  void theOptionOverridesTheClasspath() throws Exception {
    org.assertj.core.api.Assertions.assertThat(
            cronSpans(compileWith("built-in", TIMER_HANDLER, AUTOCONFIGURE_SDK, TRACE_SDK, BUILT_IN)))
        .contains("BuiltInTelemetry.startOnce();")
        .doesNotContain("AutoConfiguredTelemetry");
    org.assertj.core.api.Assertions.assertThat(
            cronSpans(compileWith("NONE", TIMER_HANDLER, AUTOCONFIGURE_SDK, TRACE_SDK, BUILT_IN)))
        .doesNotContain("startOnce");
  }

  @Test
  void anUnknownSetupIsACompileError() {
    Compilation compilation = compileWith("xray", TIMER_HANDLER);
    assertThat(compilation).failed();
    assertThat(compilation)
        .hadErrorContaining(String.format(ErrorMessages.UNKNOWN_TELEMETRY_OPTION, "xray"));
  }

  @Test
  void aSetupWhoseClassesAreMissingIsACompileErrorNamingTheDependency() {
    Compilation compilation = compileWith("autoconfigure", TIMER_HANDLER, TRACE_SDK, BUILT_IN);
    assertThat(compilation).failed();
    assertThat(compilation)
        .hadErrorContaining("[BatonTelemetryOption] -Abaton.telemetry=autoconfigure needs"
            + " io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk");
    assertThat(compilation).hadErrorContaining("opentelemetry-sdk-extension-autoconfigure");
  }

  private static final JavaFileObject SLF4J_2 = stub("org.slf4j.spi.LoggingEventBuilder");
  private static final JavaFileObject LOG4J_2 = stub("org.apache.logging.log4j.ThreadContext");

  private static final JavaFileObject TRACED_JOB =
      JavaFileObjects.forSourceLines(
          "test.Job",
          "package test;",
          "import dev.baton.Traced;",
          "public class Job {",
          "  @Traced public void step() {}",
          "}");

  private static Compilation compileWithLogs(String option, JavaFileObject... sources) {
    Compiler compiler = Compiler.javac().withProcessors(new BatonProcessor());
    if (option != null) {
      compiler = compiler.withOptions("-Abaton.logs=" + option);
    }
    return compiler.compile(sources);
  }

  private static String generated(Compilation compilation, String file) throws Exception {
    assertThat(compilation).succeeded();
    return compilation
        .generatedFile(javax.tools.StandardLocation.SOURCE_OUTPUT, "test/" + file)
        .orElseThrow()
        .getCharContent(true)
        .toString();
  }

  @Test
  void withSlf4j2OnTheClasspathTracedCodePutsTheSpanIdsIntoItsMdc() throws Exception {
    Compilation compilation = compileWithLogs(null, TIMER_HANDLER, TRACED_JOB, SLF4J_2, LOG4J_2);

    org.assertj.core.api.Assertions.assertThat(generated(compilation, "Cron_BatonSpans.java"))
        .contains("return Slf4jTraceIds.attach(LambdaInvocation.startOther(LambdaInvocation.TIMER, context));");
    org.assertj.core.api.Assertions.assertThat(generated(compilation, "Job_BatonAspect.aj"))
        .contains("import dev.baton.runtime.internal.logs.Slf4jTraceIds;")
        .contains("Scope scope = Slf4jTraceIds.makeCurrent(span);");
  }

  @Test
  void theOptionChoosesLog4jsThreadContextOrNothing() throws Exception {
    org.assertj.core.api.Assertions.assertThat(
            generated(compileWithLogs("log4j", TRACED_JOB, SLF4J_2, LOG4J_2), "Job_BatonAspect.aj"))
        .contains("Log4jTraceIds.makeCurrent(span)");
    String none = generated(compileWithLogs("none", TIMER_HANDLER, TRACED_JOB, SLF4J_2), "Job_BatonAspect.aj");
    org.assertj.core.api.Assertions.assertThat(none)
        .contains("Scope scope = TracedMethods.makeCurrent(span);")
        .doesNotContain("TraceIds");
  }

  @Test
  void anUnknownOrUnavailableLoggingLibraryIsACompileError() {
    Compilation unknown = compileWithLogs("logback", TRACED_JOB);
    assertThat(unknown).hadErrorContaining(String.format(ErrorMessages.UNKNOWN_LOGS_OPTION, "logback"));
    // log4j-api is not on this module's test classpath.
    Compilation missing = compileWithLogs("log4j", TRACED_JOB);
    assertThat(missing)
        .hadErrorContaining(
            "[BatonLogsOption] -Abaton.logs=log4j needs org.apache.logging.log4j.ThreadContext");
    assertThat(missing).hadErrorContaining("org.apache.logging.log4j:log4j-api");
  }
}
