package dev.baton.processor.model;

import com.palantir.javapoet.TypeName;

/**
 * How a supported {@code @SpanAttribute} parameter type is recorded.
 *
 * @param type the attribute type
 * @param conversion how the value is converted
 * @param formalType the type generated code declares the value with
 */
public record AttributeBinding(AttributeType type, Conversion conversion, TypeName formalType) {}
