package dev.baton.runtime.internal;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>What the advice of a generated aspect calls around a {@code @Traced} method. The shape of
 * every advice is:
 *
 * <pre>{@code
 * Span span = Foo_BatonSpans.bar(arg);          // never throws
 * Scope scope = TracedMethods.makeCurrent(span);
 * try {
 *   R result = proceed(arg);
 *   TracedMethods.end(span, scope);             // or endWhenComplete(span, scope, result)
 *   return result;
 * } catch (Throwable failure) {
 *   TracedMethods.end(span, scope, failure);
 *   throw TracedMethods.rethrow(failure);       // the same object, checked or not
 * }
 * }</pre>
 *
 * <p>No method here throws: each tracing step has its own {@code try}, and a failure is handed to
 * {@link Failures}. The span is ended exactly once on every path.
 */
public final class TracedMethods {

  private TracedMethods() {}

  /** The tracer generated span code starts its spans with. */
  public static Tracer tracer() {
    return BatonTelemetry.tracer();
  }

  /**
   * Called by generated span code when starting a span failed: reports the failure and returns
   * the invalid span, which records nothing and propagates the current context's span.
   */
  public static Span startFailed(Throwable failure) {
    Failures.report("starting a span", failure);
    return Span.getInvalid();
  }

  /** Makes {@code span} current for the method body. */
  public static Scope makeCurrent(Span span) {
    try {
      return span.makeCurrent();
    } catch (Throwable failure) {
      Failures.report("making a span current", failure);
      return Scope.noop();
    }
  }

  /** The method returned normally: closes the scope and ends the span. */
  public static void end(Span span, Scope scope) {
    close(scope);
    endSpan(span);
  }

  /**
   * The method threw {@code failure}: closes the scope, records the exception (an {@code
   * exception} event, status {@code ERROR}, {@code error.type}) and ends the span.
   */
  public static void end(Span span, Scope scope, Throwable failure) {
    close(scope);
    recordFailure(span, failure);
    endSpan(span);
  }

  /**
   * The method returned {@code stage}: closes the scope now and ends the span when the stage
   * completes, with status {@code ERROR} if it completes exceptionally. Returns {@code stage}
   * itself, so the caller gets exactly the object the method returned.
   */
  public static <S extends CompletionStage<?>> S endWhenComplete(Span span, Scope scope, S stage) {
    close(scope);
    if (stage == null) {
      endSpan(span);
      return null;
    }
    try {
      stage.whenComplete(new Completion(span));
    } catch (Throwable failure) {
      Failures.report("waiting for an asynchronous result", failure);
      endSpan(span);
    }
    return stage;
  }

  /**
   * Throws {@code failure} unchanged, whether it is checked or not, so that advice can rethrow
   * the exact object the method threw without wrapping it. Declared to return an exception so
   * that call sites can write {@code throw TracedMethods.rethrow(failure)}.
   */
  @SuppressWarnings("unchecked")
  public static <E extends Throwable> RuntimeException rethrow(Throwable failure) throws E {
    throw (E) failure;
  }

  /**
   * Records {@code failure} on {@code span}: status {@code ERROR}, {@code error.type} (the class
   * name) and an {@code exception} event; a null {@code failure} sets the status only. Never
   * throws. Also what {@code LambdaInvocation} records a handler's exception with.
   */
  public static void recordFailure(Span span, Throwable failure) {
    try {
      span.setStatus(StatusCode.ERROR);
      if (failure != null) {
        span.setAttribute(SemanticConventions.ERROR_TYPE, failure.getClass().getName());
        span.recordException(failure);
      }
    } catch (Throwable recordingFailure) {
      Failures.report("recording an exception on a span", recordingFailure);
    }
  }

  /**
   * What an asynchronous result failed with: the cause of a {@link CompletionException} (which
   * {@code CompletableFuture} wraps failures of dependent stages in), else {@code failure}.
   */
  public static Throwable unwrap(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause()
        : failure;
  }

  private static void close(Scope scope) {
    try {
      scope.close();
    } catch (Throwable failure) {
      Failures.report("closing a span's scope", failure);
    }
  }

  private static void endSpan(Span span) {
    try {
      span.end();
    } catch (Throwable failure) {
      Failures.report("ending a span", failure);
    }
  }

  /**
   * Ends a span when the stage a method returned completes. A class rather than a lambda, so
   * that the first asynchronous result does not spin one up.
   */
  private static final class Completion implements BiConsumer<Object, Throwable> {
    private final Span span;

    Completion(Span span) {
      this.span = span;
    }

    @Override
    public void accept(Object value, Throwable failure) {
      if (failure != null) {
        recordFailure(span, unwrap(failure));
      }
      endSpan(span);
    }
  }
}
