package dev.baton.processor.model;

import java.util.Locale;
import java.util.function.Predicate;

/**
 * How a {@code @TracedHandler}'s generated code sets up OpenTelemetry when the function did not,
 * chosen once per compilation from the processor option {@value #OPTION} or, by default, from what
 * is on the compile classpath, so nothing is probed at run time. Each setup names the runtime class
 * the generated code calls, the types it needs on the compile classpath and the dependencies that
 * provide them, and the comment the generated code carries:
 *
 * <ul>
 *   <li>{@link #AUTOCONFIGURE}: the full SDK of OpenTelemetry's autoconfigure module (every
 *       exporter and setting it knows); the default when that module is on the classpath.
 *   <li>{@link #BUILT_IN}: Baton's trace-only SDK (OTLP/HTTP, no metrics, no logs, no background
 *       thread), built from the same {@code OTEL_*} settings; the default otherwise, when the trace
 *       SDK is there.
 *   <li>{@link #NONE}: no setup; spans go to what the function registers ({@code
 *       Baton.useOpenTelemetry} or {@code GlobalOpenTelemetry}).
 * </ul>
 */
public enum Bootstrap {
  AUTOCONFIGURE(
      "autoconfigure",
      "AutoConfiguredTelemetry",
      "io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk",
      "io.opentelemetry:opentelemetry-sdk-extension-autoconfigure and dev.baton:baton-aspects",
      "Unless the function set up OpenTelemetry itself, build the full SDK of OpenTelemetry's\n"
          + "autoconfigure module from the OTEL_* settings on the first invocation."),
  BUILT_IN(
      "built-in",
      "BuiltInTelemetry",
      "io.opentelemetry.sdk.trace.SdkTracerProvider",
      "dev.baton:baton-aspects (with io.opentelemetry:opentelemetry-sdk-trace)",
      "Unless the function set up OpenTelemetry itself, build Baton's trace-only SDK from the\n"
          + "OTEL_* settings on the first invocation."),
  NONE("none", null, null, null, null);

  /** The processor option ({@code -Abaton.telemetry=...}) that overrides the default choice. */
  public static final String OPTION = "baton.telemetry";

  /** The option's default: choose from the compile classpath. */
  public static final String AUTO = "auto";

  /** The package of the runtime classes generated code calls. */
  public static final String RUNTIME_PACKAGE = RuntimeNames.SDK_PACKAGE;

  private final String optionValue;
  private final String runtimeClass;
  private final String sdkType;
  private final String dependencies;
  private final String comment;

  Bootstrap(
      String optionValue,
      String runtimeClass,
      String sdkType,
      String dependencies,
      String comment) {
    this.optionValue = optionValue;
    this.runtimeClass = runtimeClass;
    this.sdkType = sdkType;
    this.dependencies = dependencies;
    this.comment = comment;
  }

  /** The value of {@value #OPTION} that selects this setup. */
  public String optionValue() {
    return optionValue;
  }

  /** The simple name of the runtime class whose {@code startOnce()} handlers call, or null. */
  public String runtimeClass() {
    return runtimeClass;
  }

  /** The dependencies that put this setup's types on the classpath, for messages; null for none. */
  public String dependencies() {
    return dependencies;
  }

  /** What the generated {@code startOnce()} call does, for a comment above it; null for none. */
  public String comment() {
    return comment;
  }

  /** The first type this setup needs that {@code present} does not know, or null. */
  public String missingWith(Predicate<String> present) {
    if (runtimeClass == null) {
      return null;
    }
    for (String type : new String[] {sdkType, RUNTIME_PACKAGE + "." + runtimeClass}) {
      if (!present.test(type)) {
        return type;
      }
    }
    return null;
  }

  /** The default choice: autoconfigure when there, else built-in when there, else none. */
  public static Bootstrap chooseFrom(Predicate<String> present) {
    if (AUTOCONFIGURE.missingWith(present) == null) {
      return AUTOCONFIGURE;
    }
    return BUILT_IN.missingWith(present) == null ? BUILT_IN : NONE;
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
