package dev.baton.runtime.internal.logs;

import dev.baton.runtime.internal.Failures;
import dev.baton.runtime.internal.TracedMethods;
import dev.baton.runtime.internal.lambda.LambdaInvocation;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Scope;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>A logging library's thread context (SLF4J's MDC, Log4j's {@code ThreadContext}) holding the
 * ids of the current span ({@link TraceIds#KEYS}) while a traced method or invocation runs; when
 * it returns each key is as it was before: absent if it was absent, the user's own value if it
 * had one. Nothing is put for an invalid span (tracing off). Every failure is reported, never
 * thrown.
 */
abstract class LogContext {

  abstract String get(String key);

  abstract void put(String key, String value);

  abstract void remove(String key);

  /** What the library is called in reports. */
  abstract String name();

  /** {@link TracedMethods#makeCurrent}, and the span's ids in the context until it closes. */
  final Scope currentWithIds(Span span) {
    Scope current = TracedMethods.makeCurrent(span);
    Scope ids = put(span.getSpanContext());
    return ids == null ? current : new Both(ids, current);
  }

  /** The invocation's span ids in the context until the invocation ends. */
  final LambdaInvocation attachTo(LambdaInvocation invocation) {
    try {
      Scope ids = put(invocation.span().getSpanContext());
      if (ids != null) {
        invocation.closeAtEnd(ids);
      }
    } catch (Throwable failure) {
      Failures.report("putting trace ids into the " + name(), failure);
    }
    return invocation;
  }

  /** Puts the ids of {@code span}; the scope puts back what was there. Null: nothing put. */
  final Scope put(SpanContext span) {
    if (!span.isValid()) {
      return null;
    }
    try {
      String[] previous = new String[TraceIds.KEYS.length];
      String[] values = TraceIds.values(span);
      for (int i = 0; i < values.length; i++) {
        previous[i] = get(TraceIds.KEYS[i]);
        put(TraceIds.KEYS[i], values[i]);
      }
      return new Restore(this, previous);
    } catch (Throwable failure) {
      Failures.report("putting trace ids into the " + name(), failure);
      return null;
    }
  }

  /** Puts back what the keys held before. */
  private static final class Restore implements Scope {
    private final LogContext context;
    private final String[] previous;

    Restore(LogContext context, String[] previous) {
      this.context = context;
      this.previous = previous;
    }

    @Override
    public void close() {
      try {
        for (int i = 0; i < previous.length; i++) {
          if (previous[i] == null) {
            context.remove(TraceIds.KEYS[i]);
          } else {
            context.put(TraceIds.KEYS[i], previous[i]);
          }
        }
      } catch (Throwable failure) {
        Failures.report("restoring the " + context.name(), failure);
      }
    }
  }

  /** Closes the ids' scope, then the span's. */
  private static final class Both implements Scope {
    private final Scope ids;
    private final Scope current;

    Both(Scope ids, Scope current) {
      this.ids = ids;
      this.current = current;
    }

    @Override
    public void close() {
      ids.close();
      current.close();
    }
  }
}
