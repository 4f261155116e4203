package dev.baton.processor.model;

import com.palantir.javapoet.TypeName;

/**
 * A parameter that the advice binds with {@code args(..)} and passes to the span factory.
 *
 * @param position its index in the method's parameter list
 * @param name the name generated code gives it
 * @param type the type generated code declares it with
 */
public record BoundParameter(int position, String name, TypeName type) {}
