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

  /**
   * Records a keyed hash of the value instead of the value: HMAC-SHA-256 with the key in {@code
   * BATON_ATTRIBUTE_HASH_KEY}, as 64 lowercase hex characters, equal for equal values and
   * different for different ones, so that spans can be correlated by, say, a customer's e-mail
   * address without the address appearing anywhere in what is exported, and without a
   * dictionary of addresses reversing it. The hash is computed only for spans that are recorded.
   * Without a key each process hashes with a random key of its own (reported once): values then
   * correlate within one execution environment only. {@code String} parameters only; on any
   * other type it is a compile error.
   */
  boolean hash() default false;
}
