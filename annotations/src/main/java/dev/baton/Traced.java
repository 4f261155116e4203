package dev.baton;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Wraps every execution of the annotated method in an OpenTelemetry span.
 *
 * <p>At build time the Baton processor generates an aspect for the method and the {@code
 * baton:weave} goal weaves it into the compiled class; nothing reads this annotation at run time.
 * The span's parent is the context current when the method is called, and the span is current
 * while the method runs, so {@code @Traced} methods it calls become its children. The span ends
 * when the method returns or throws; for a {@link java.util.concurrent.CompletionStage} result,
 * when that stage completes. An exception is recorded on the span (status {@code ERROR}) and
 * rethrown unchanged.
 *
 * <p>The method must have a body: abstract and native methods cannot be woven. Static, private,
 * package-private and protected methods are woven like public ones.
 *
 * <pre>{@code
 * @Traced("price order")
 * Money price(@SpanAttribute("order.items") int items) { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Traced {

  /**
   * The span name. Empty (the default) means {@code SimpleClassName.methodName}, for example
   * {@code OrderService.price}. A name made only of white space is a compile error.
   */
  String value() default "";

  /** The span kind; {@link SpanKind#INTERNAL} unless the method is the edge of a remote call. */
  SpanKind kind() default SpanKind.INTERNAL;
}
