package dev.baton.processor.model;

import com.palantir.javapoet.TypeName;

/**
 * One {@code @SpanAttribute} parameter.
 *
 * @param position the parameter's index in the method's parameter list
 * @param formalName the name generated code uses (the parameter's name unless it clashes)
 * @param key the attribute key
 * @param type the OpenTelemetry attribute type
 * @param formalType the type generated code declares the value with; the parameter's own type
 *     unless that may not be nameable outside its class (an enum becomes {@code Enum<?>})
 * @param conversion how the value becomes an attribute value
 * @param constantName the name of the {@code AttributeKey} constant
 * @param hashed whether the value is recorded as its keyed hash, set only on a recording span
 */
public record SpanAttributeModel(
    int position,
    String formalName,
    String key,
    AttributeType type,
    TypeName formalType,
    Conversion conversion,
    String constantName,
    boolean hashed) {}
