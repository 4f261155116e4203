package dev.baton;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an AWS Lambda handler (a class implementing {@code RequestHandler} or {@code
 * RequestStreamHandler}, or a handler method taking a {@code Context}) whose invocations Baton
 * traces: one span per invocation, parented by the caller's context as the trigger carries it,
 * and exported before the function freezes.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface TracedHandler {}
