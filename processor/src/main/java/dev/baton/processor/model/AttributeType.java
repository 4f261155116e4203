package dev.baton.processor.model;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import java.util.List;

/** The OpenTelemetry attribute type a {@code @SpanAttribute} parameter becomes. */
public enum AttributeType {
  STRING("stringKey", ClassName.get(String.class), "string"),
  LONG("longKey", ClassName.get(Long.class), "long"),
  DOUBLE("doubleKey", ClassName.get(Double.class), "double"),
  BOOLEAN("booleanKey", ClassName.get(Boolean.class), "boolean"),
  STRING_ARRAY("stringArrayKey", listOf(String.class), "string[]"),
  LONG_ARRAY("longArrayKey", listOf(Long.class), "long[]"),
  DOUBLE_ARRAY("doubleArrayKey", listOf(Double.class), "double[]"),
  BOOLEAN_ARRAY("booleanArrayKey", listOf(Boolean.class), "boolean[]");

  private final String keyFactory;
  private final TypeName valueType;
  private final String reportName;

  AttributeType(String keyFactory, TypeName valueType, String reportName) {
    this.keyFactory = keyFactory;
    this.valueType = valueType;
    this.reportName = reportName;
  }

  /** The {@code AttributeKey} factory method, e.g. {@code longKey}. */
  public String keyFactory() {
    return keyFactory;
  }

  /** The {@code T} of {@code AttributeKey<T>}. */
  public TypeName valueType() {
    return valueType;
  }

  /** The name the weave report uses, e.g. {@code long[]}. */
  public String reportName() {
    return reportName;
  }

  private static TypeName listOf(Class<?> element) {
    return ParameterizedTypeName.get(ClassName.get(List.class), ClassName.get(element));
  }
}
