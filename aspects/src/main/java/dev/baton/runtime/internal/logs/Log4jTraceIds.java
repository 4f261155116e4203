package dev.baton.runtime.internal.logs;

import dev.baton.runtime.internal.TracedMethods;
import dev.baton.runtime.internal.lambda.LambdaInvocation;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import org.apache.logging.log4j.ThreadContext;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>Trace ids in Log4j 2's {@code ThreadContext} ({@code trace_id}, {@code span_id}, {@code
 * trace_flags}, {@code xray_trace_id}): what generated code calls instead of {@link
 * TracedMethods#makeCurrent}, and around each invocation, when the processor saw {@code
 * log4j-api} and no {@code slf4j-api} 2.x on the compile classpath (decided at compile time;
 * {@code -Abaton.logs}). See {@link LogContext}.
 */
public final class Log4jTraceIds extends LogContext {

  private static final Log4jTraceIds INSTANCE = new Log4jTraceIds();

  private Log4jTraceIds() {}

  /** The span made current, and its ids in the ThreadContext until the scope closes. */
  public static Scope makeCurrent(Span span) {
    return INSTANCE.currentWithIds(span);
  }

  /** The invocation's ids in the ThreadContext until it ends. */
  public static LambdaInvocation attach(LambdaInvocation invocation) {
    return INSTANCE.attachTo(invocation);
  }

  @Override
  String get(String key) {
    return ThreadContext.get(key);
  }

  @Override
  void put(String key, String value) {
    ThreadContext.put(key, value);
  }

  @Override
  void remove(String key) {
    ThreadContext.remove(key);
  }

  @Override
  String name() {
    return "Log4j ThreadContext";
  }
}
