package dev.baton;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Records the annotated parameter of a {@link Traced} method as an attribute of its span.
 *
 * <p>Supported types, checked at compile time:
 *
 * <ul>
 *   <li>{@code String} and {@code char}/{@code Character}: a string attribute;
 *   <li>{@code byte}, {@code short}, {@code int}, {@code long} and their boxes: a long attribute;
 *   <li>{@code float}, {@code double} and their boxes: a double attribute;
 *   <li>{@code boolean}/{@code Boolean}: a boolean attribute;
 *   <li>an enum: a string attribute holding the constant's {@code name()};
 *   <li>an array or a {@code java.util.List} of any of the above: the matching array attribute.
 * </ul>
 *
 * <p>Any other type is a compile error: Baton never records {@code toString()} of arbitrary
 * objects, which can leak data and costs time on every call. A {@code null} argument records no
 * attribute.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.PARAMETER)
public @interface SpanAttribute {

  /**
   * The attribute key. Empty (the default) means the parameter's name. Two parameters of one
   * method cannot share a key.
   */
  String value() default "";
}
