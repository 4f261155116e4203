package dev.baton.maven;

import java.util.List;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>What the processor recorded about one {@code @Traced} method in its aspect's {@code
 * .properties}: how to find the method in bytecode, and what its span looks like.
 *
 * @param name the method's name, {@code price}
 * @param descriptor the method's JVM descriptor, {@code (ILjava/lang/String;)I}
 * @param signature the method as a reader writes it, {@code price(int, String)}
 * @param spanName the span name, {@code OrderService.price}
 * @param kind the span kind, {@code INTERNAL}
 * @param attributes the {@code @SpanAttribute}s, in parameter order
 */
record TracedMethodMetadata(
    String name,
    String descriptor,
    String signature,
    String spanName,
    String kind,
    List<Attribute> attributes) {

  /**
   * One span attribute a method sets.
   *
   * @param key the attribute key, {@code order.quantity}
   * @param type its OpenTelemetry type: {@code string}, {@code long}, ..., {@code boolean[]}
   */
  record Attribute(String key, String type) {}
}
