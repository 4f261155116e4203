package dev.baton.runtime.internal.logs;

import dev.baton.runtime.internal.TracedMethods;
import dev.baton.runtime.internal.lambda.LambdaInvocation;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import org.slf4j.MDC;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>Trace ids in SLF4J's MDC ({@code trace_id}, {@code span_id}, {@code trace_flags}, {@code
 * xray_trace_id}): what generated code calls instead of {@link TracedMethods#makeCurrent}, and
 * around each invocation, when the processor saw {@code slf4j-api} 2.x on the compile classpath
 * (decided at compile time; {@code -Abaton.logs}). See {@link LogContext}.
 */
public final class Slf4jTraceIds extends LogContext {

  private static final Slf4jTraceIds INSTANCE = new Slf4jTraceIds();

  private Slf4jTraceIds() {}

  /** The span made current, and its ids in the MDC until the scope closes. */
  public static Scope makeCurrent(Span span) {
    return INSTANCE.currentWithIds(span);
  }

  /** The invocation's ids in the MDC until it ends. */
  public static LambdaInvocation attach(LambdaInvocation invocation) {
    return INSTANCE.attachTo(invocation);
  }

  @Override
  String get(String key) {
    return MDC.get(key);
  }

  @Override
  void put(String key, String value) {
    MDC.put(key, value);
  }

  @Override
  void remove(String key) {
    MDC.remove(key);
  }

  @Override
  String name() {
    return "SLF4J MDC";
  }
}
