package dev.baton.processor.model;

import java.util.Locale;
import java.util.function.Predicate;

/**
 * How a {@code @TracedHandler}'s generated code sets up OpenTelemetry when the function did not,
 * chosen once per compilation from the processor option {@value #OPTION} and, by default, from
 * what is on the compile classpath, so nothing is probed at run time:
 *
 * <ul>
 *   <li>{@link #AUTOCONFIGURE}: the OpenTelemetry autoconfigure module is there, so the function
 *       asked for the full SDK (every exporter and setting it knows).
 *   <li>{@link #BUILT_IN}: otherwise Baton's trace-only SDK (OTLP/HTTP, no metrics, no logs, no
 *       background thread), built from the same {@code OTEL_*} settings.
 *   <li>{@link #NONE}: no setup; spans go to what the function registers ({@code
 *       Baton.useOpenTelemetry} or {@code GlobalOpenTelemetry}).
 * </ul>
 */
public enum Bootstrap {
  AUTOCONFIGURE("autoconfigure", "AutoConfiguredTelemetry"),
  BUILT_IN("built-in", "BuiltInTelemetry"),
  NONE("none", null);

  /** The processor option ({@code -Abaton.telemetry=...}) that overrides the default choice. */
  public static final String OPTION = "baton.telemetry";

  /** The option's default: choose from the compile classpath. */
  public static final String AUTO = "auto";

  /** The type whose presence means the autoconfigure module is on the classpath. */
  public static final String AUTOCONFIGURE_SDK =
      "io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk";

  /** The type whose presence means the trace SDK is on the classpath. */
  public static final String TRACE_SDK = "io.opentelemetry.sdk.trace.SdkTracerProvider";

  /** The package of the runtime classes generated code calls. */
  public static final String RUNTIME_PACKAGE = "dev.baton.runtime.internal.sdk";

  private final String optionValue;
  private final String runtimeClass;

  Bootstrap(String optionValue, String runtimeClass) {
    this.optionValue = optionValue;
    this.runtimeClass = runtimeClass;
  }

  /** The value of {@value #OPTION} that selects this setup. */
  public String optionValue() {
    return optionValue;
  }

  /** The simple name of the runtime class whose {@code startOnce()} handlers call, or null. */
  public String runtimeClass() {
    return runtimeClass;
  }

  /** The qualified names of the types this setup needs on the compile classpath. */
  String[] requiredTypes() {
    return switch (this) {
      case AUTOCONFIGURE -> new String[] {AUTOCONFIGURE_SDK, RUNTIME_PACKAGE + "." + runtimeClass};
      case BUILT_IN -> new String[] {TRACE_SDK, RUNTIME_PACKAGE + "." + runtimeClass};
      case NONE -> new String[0];
    };
  }

  /** Whether every type this setup needs is on the classpath ({@code present} tells). */
  public boolean availableWith(Predicate<String> present) {
    return missingWith(present) == null;
  }

  /** The first type this setup needs that {@code present} does not know, or null. */
  public String missingWith(Predicate<String> present) {
    for (String type : requiredTypes()) {
      if (!present.test(type)) {
        return type;
      }
    }
    return null;
  }

  /** The default choice: autoconfigure when there, else built-in when there, else none. */
  public static Bootstrap chooseFrom(Predicate<String> present) {
    if (AUTOCONFIGURE.availableWith(present)) {
      return AUTOCONFIGURE;
    }
    return BUILT_IN.availableWith(present) ? BUILT_IN : NONE;
  }

  /** The setup an option value names ({@value #AUTO} gives null), or null if it names none. */
  public static Bootstrap ofOption(String value) {
    String normalized = value.trim().toLowerCase(Locale.ROOT);
    for (Bootstrap bootstrap : values()) {
      if (bootstrap.optionValue.equals(normalized)) {
        return bootstrap;
      }
    }
    return null;
  }
}
