package dev.baton.runtime.internal.lambda;

import dev.baton.runtime.internal.Failures;
import java.util.Locale;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>When an invocation's spans are exported: environment variable {@value #ENV} (or system
 * property {@value #PROPERTY}), {@value #AFTER_RESPONSE} or {@value #BEFORE_RESPONSE}. After the
 * response, Baton's internal Lambda extension exports them once the caller has its answer and
 * before Lambda freezes the environment; before the response, the handler's own thread exports
 * them before it returns. A value Baton does not know is reported once and the default applies.
 *
 * <p>The default is {@value #AFTER_RESPONSE}, except when the traces exporter ({@code
 * OTEL_TRACES_EXPORTER} / {@code otel.traces.exporter}) is {@value #XRAY} alone: a UDP send to
 * the X-Ray daemon in the sandbox waits for no network and costs the caller less than the
 * extension's thread does (woken for every invocation, it takes CPU from the invocation, and
 * from the response on a function with one vCPU or less), so those spans go out before the
 * response unless {@value #ENV} says otherwise.
 */
final class ExportTiming {

  static final String ENV = "BATON_EXPORT";
  static final String PROPERTY = "baton.export";
  static final String AFTER_RESPONSE = "after-response";
  static final String BEFORE_RESPONSE = "before-response";

  private ExportTiming() {}

  static final String EXPORTER_ENV = "OTEL_TRACES_EXPORTER";
  static final String EXPORTER_PROPERTY = "otel.traces.exporter";
  static final String XRAY = "xray";

  /** Whether the spans are to be exported after the response (see the class comment). */
  static boolean afterResponse() {
    String value = null;
    String exporter = null;
    try {
      value = setting(PROPERTY, ENV);
      exporter = setting(EXPORTER_PROPERTY, EXPORTER_ENV);
    } catch (Throwable failure) {
      Failures.report("reading " + ENV + " and " + EXPORTER_ENV, failure);
    }
    return afterResponse(value, exporter);
  }

  private static String setting(String property, String env) {
    String value = System.getProperty(property);
    return value == null || value.isBlank() ? System.getenv(env) : value;
  }

  /** With {@code value} of {@value #ENV} and {@code exporter} of the traces exporter setting. */
  static boolean afterResponse(String value, String exporter) {
    return afterResponse(value, !onlyXray(exporter));
  }

  /** Without an exporter setting: {@value #AFTER_RESPONSE} unless {@code value} says otherwise. */
  static boolean afterResponse(String value) {
    return afterResponse(value, true);
  }

  /**
   * Whether the traces exporter setting names X-Ray and no other place, read as the built-in
   * setup reads it ({@code xray,none} and {@code xray,xray} are X-Ray alone).
   */
  static boolean onlyXray(String exporter) {
    if (exporter == null) {
      return false;
    }
    boolean xray = false;
    for (String name : exporter.split(",")) {
      String trimmed = name.trim();
      if (trimmed.equalsIgnoreCase(XRAY)) {
        xray = true;
      } else if (!trimmed.isEmpty() && !trimmed.equalsIgnoreCase("none")) {
        return false;
      }
    }
    return xray;
  }

  private static boolean afterResponse(String value, boolean byDefault) {
    if (value == null || value.isBlank()) {
      return byDefault;
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
            + (byDefault ? AFTER_RESPONSE : BEFORE_RESPONSE));
    return byDefault;
  }
}
