package dev.baton.processor.model;

import java.util.Locale;
import java.util.function.Predicate;

/**
 * Whether generated code puts the current span's ids into a logging library's thread context
 * while traced code runs, and which: chosen once per compilation from the processor option
 * {@value #OPTION} or, by default, from the compile classpath, so nothing is probed at run time.
 *
 * <ul>
 *   <li>{@link #SLF4J}: SLF4J's MDC, when {@code slf4j-api} 2.x is on the classpath (the default
 *       then);
 *   <li>{@link #LOG4J}: Log4j 2's {@code ThreadContext}, when {@code log4j-api} is there instead;
 *   <li>{@link #NONE}: nothing.
 * </ul>
 */
public enum Logs {
  SLF4J(
      "slf4j",
      "Slf4jTraceIds",
      // A type slf4j-api has from 2.0 on.
      "org.slf4j.spi.LoggingEventBuilder",
      "org.slf4j:slf4j-api 2.x"),
  LOG4J(
      "log4j",
      "Log4jTraceIds",
      "org.apache.logging.log4j.ThreadContext",
      "org.apache.logging.log4j:log4j-api"),
  NONE("none", null, null, null);

  /** The processor option ({@code -Abaton.logs=...}) that overrides the default choice. */
  public static final String OPTION = "baton.logs";

  /** The package of the runtime classes generated code calls. */
  public static final String RUNTIME_PACKAGE = RuntimeNames.LOGS_PACKAGE;

  private final String optionValue;
  private final String runtimeClass;
  private final String libraryType;
  private final String dependency;

  Logs(String optionValue, String runtimeClass, String libraryType, String dependency) {
    this.optionValue = optionValue;
    this.runtimeClass = runtimeClass;
    this.libraryType = libraryType;
    this.dependency = dependency;
  }

  public String optionValue() {
    return optionValue;
  }

  /** The simple name of the runtime class generated code calls, or null for {@link #NONE}. */
  public String runtimeClass() {
    return runtimeClass;
  }

  /** The dependency that provides the library, for messages; null for {@link #NONE}. */
  public String dependency() {
    return dependency;
  }

  /** The first type this choice needs that {@code present} does not know, or null. */
  public String missingWith(Predicate<String> present) {
    if (runtimeClass == null) {
      return null;
    }
    for (String type : new String[] {libraryType, RUNTIME_PACKAGE + "." + runtimeClass}) {
      if (!present.test(type)) {
        return type;
      }
    }
    return null;
  }

  /** The default: SLF4J 2.x when there, else Log4j 2 when there, else none. */
  public static Logs chooseFrom(Predicate<String> present) {
    if (SLF4J.missingWith(present) == null) {
      return SLF4J;
    }
    return LOG4J.missingWith(present) == null ? LOG4J : NONE;
  }

  /** The choice an option value names ({@code auto} gives null), or null if it names none. */
  public static Logs ofOption(String value) {
    String normalized = value.trim().toLowerCase(Locale.ROOT);
    for (Logs logs : values()) {
      if (logs.optionValue.equals(normalized)) {
        return logs;
      }
    }
    return null;
  }
}
