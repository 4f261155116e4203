package dev.baton.runtime.internal.lambda;

import dev.baton.runtime.internal.Failures;
import java.util.Locale;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>When an invocation's spans are exported: environment variable {@value #ENV} (or system
 * property {@value #PROPERTY}), {@value #AFTER_RESPONSE} (the default) or {@value
 * #BEFORE_RESPONSE}. After the response, Baton's internal Lambda extension exports them once the
 * caller has its answer and before Lambda freezes the environment; before the response, the
 * handler's own thread exports them before it returns. A value Baton does not know is reported
 * once and the default applies.
 */
final class ExportTiming {

  static final String ENV = "BATON_EXPORT";
  static final String PROPERTY = "baton.export";
  static final String AFTER_RESPONSE = "after-response";
  static final String BEFORE_RESPONSE = "before-response";

  private ExportTiming() {}

  /** Whether the spans are to be exported after the response (the default). */
  static boolean afterResponse() {
    String value = null;
    try {
      value = System.getProperty(PROPERTY);
      if (value == null || value.isBlank()) {
        value = System.getenv(ENV);
      }
    } catch (Throwable failure) {
      Failures.report("reading " + ENV, failure);
    }
    return afterResponse(value);
  }

  static boolean afterResponse(String value) {
    if (value == null || value.isBlank()) {
      return true;
    }
    String normalized = value.trim().toLowerCase(Locale.ROOT);
    if (normalized.equals(AFTER_RESPONSE)) {
      return true;
    }
    if (normalized.equals(BEFORE_RESPONSE)) {
      return false;
    }
    Failures.reportInput(
        "a bad " + ENV,
        "'" + value + "': use " + AFTER_RESPONSE + " or " + BEFORE_RESPONSE + "; using "
            + AFTER_RESPONSE);
    return true;
  }
}
