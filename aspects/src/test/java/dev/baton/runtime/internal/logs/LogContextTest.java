package dev.baton.runtime.internal.logs;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.baton.runtime.internal.BatonTelemetry;
import dev.baton.runtime.internal.lambda.LambdaInvocation;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Trace ids in the logs, through a real Logback (SLF4J) and a real Log4j 2 setup: each log event
 * written while a span is current carries its ids, and what the thread context held before is
 * there again afterwards.
 */
class LogContextTest {

  private final ListAppender<ILoggingEvent> logback = new ListAppender<>();
  private final Log4jEvents log4j = new Log4jEvents();
  private OpenTelemetrySdk sdk;

  @BeforeEach
  void setUp() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    logback.setContext(context);
    logback.start();
    context.getLogger("test").addAppender(logback);
    log4j.start();
    ((org.apache.logging.log4j.core.Logger) LogManager.getLogger("test")).addAppender(log4j);
    ((org.apache.logging.log4j.core.Logger) LogManager.getLogger("test")).setAdditive(false);
    org.apache.logging.log4j.core.config.Configurator.setLevel("test", org.apache.logging.log4j.Level.INFO);
    sdk = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().setSampler(Sampler.alwaysOn()).build())
        .build();
    BatonTelemetry.use(sdk);
  }

  @AfterEach
  void tearDown() {
    ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("test").detachAppender(logback);
    ((org.apache.logging.log4j.core.Logger) LogManager.getLogger("test")).removeAppender(log4j);
    MDC.clear();
    ThreadContext.clearMap();
    BatonTelemetry.use(null, null);
    sdk.close();
  }

  /** Logs "message" through SLF4J (Logback) and Log4j 2; the context each saw. */
  private List<Map<String, String>> log(String message) {
    LoggerFactory.getLogger("test").info(message);
    LogManager.getLogger("test").info(message);
    return List.of(
        logback.list.get(logback.list.size() - 1).getMDCPropertyMap(),
        log4j.events.get(log4j.events.size() - 1));
  }

  private static void assertIds(Map<String, String> context, SpanContext span) {
    assertThat(context)
        .containsEntry("trace_id", span.getTraceId())
        .containsEntry("span_id", span.getSpanId())
        .containsEntry("trace_flags", "01")
        .containsEntry("xray_trace_id", "1-" + span.getTraceId().substring(0, 8) + "-" + span.getTraceId().substring(8));
    assertThat(context.get("trace_id")).matches("[0-9a-f]{32}");
    assertThat(context.get("span_id")).matches("[0-9a-f]{16}");
  }

  private static Scope both(Span span) {
    Scope slf4j = Slf4jTraceIds.makeCurrent(span);
    Scope log4jScope = Log4jTraceIds.makeCurrent(span);
    return () -> {
      log4jScope.close();
      slf4j.close();
    };
  }

  @Test
  void whileASpanIsCurrentEveryLogEventCarriesItsIdsAndAfterwardsNone() {
    Span span = BatonTelemetry.tracer().spanBuilder("work").startSpan();
    try (Scope ignored = both(span)) {
      for (Map<String, String> context : log("inside")) {
        assertIds(context, span.getSpanContext());
      }
    }
    span.end();

    for (Map<String, String> context : log("after")) {
      assertThat(context).doesNotContainKeys("trace_id", "span_id", "trace_flags", "xray_trace_id");
    }
  }

  @Test
  void theUsersOwnValuesAreThereAgainAfterwardsAndANestedSpanGivesBackItsParents() {
    MDC.put("trace_id", "mine");
    ThreadContext.put("trace_id", "mine");
    MDC.put("request", "r-1");
    Span outer = BatonTelemetry.tracer().spanBuilder("outer").startSpan();
    try (Scope ignoredOuter = both(outer)) {
      Span inner = BatonTelemetry.tracer().spanBuilder("inner").startSpan();
      try (Scope ignoredInner = both(inner)) {
        log("inner").forEach(context -> assertIds(context, inner.getSpanContext()));
      }
      inner.end();
      log("outer").forEach(context -> assertIds(context, outer.getSpanContext()));
    }
    outer.end();

    log("after").forEach(context ->
        assertThat(context).containsEntry("trace_id", "mine").doesNotContainKeys("span_id", "trace_flags"));
    assertThat(MDC.get("request")).isEqualTo("r-1");
  }

  @Test
  void anUnsampledSpanSaysSoAndNoSpanPutsNothing() {
    BatonTelemetry.use(OpenTelemetry.noop());
    try (Scope ignored = both(Span.getInvalid())) {
      log("off").forEach(context -> assertThat(context).doesNotContainKey("trace_id"));
    }
    SpanContext unsampled = SpanContext.create(
        "0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331",
        io.opentelemetry.api.trace.TraceFlags.getDefault(),
        io.opentelemetry.api.trace.TraceState.getDefault());
    try (Scope ignored = both(Span.wrap(unsampled))) {
      log("unsampled").forEach(context -> assertThat(context).containsEntry("trace_flags", "00"));
    }
  }

  @Test
  void anInvocationsIdsStayUntilItEnds() {
    LambdaInvocation invocation =
        Log4jTraceIds.attach(Slf4jTraceIds.attach(LambdaInvocation.startOther(LambdaInvocation.OTHER, null)));
    log("in the handler").forEach(context -> assertIds(context, invocation.span().getSpanContext()));
    invocation.end();

    log("after").forEach(context -> assertThat(context).doesNotContainKey("trace_id"));
  }

  /** Log4j 2 events' context data, as a real appender sees it. */
  private static final class Log4jEvents extends AbstractAppender {
    final List<Map<String, String>> events = new ArrayList<>();

    Log4jEvents() {
      super("events", null, null, true, Property.EMPTY_ARRAY);
    }

    @Override
    public void append(LogEvent event) {
      events.add(new HashMap<>(event.getContextData().toMap()));
    }
  }
}
