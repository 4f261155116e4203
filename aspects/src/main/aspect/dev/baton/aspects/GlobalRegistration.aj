package dev.baton.aspects;

import dev.baton.runtime.internal.GlobalRegistrations;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import java.util.function.Supplier;
import org.aspectj.lang.annotation.SuppressAjWarnings;

/**
 * The function's own {@code GlobalOpenTelemetry.set(...)} calls work with Baton as without it,
 * registered before or after Baton's zero-code setup registered its SDK, from any thread: the call
 * goes to {@link GlobalRegistrations} instead, which switches Baton's global instance to the
 * function's (or registers the function's when Baton registered nothing), and Baton creates its
 * spans with what the function registered from then on. A registration throws only what it would
 * throw without Baton. Woven wherever the OpenTelemetry API is on the classpath; {@link
 * SdkRegistration} and {@link AutoConfiguredRegistration} do the same for {@code
 * buildAndRegisterGlobal()} and autoconfigure's {@code setResultAsGlobal()}. Each advice only
 * calls Baton's runtime.
 */
public aspect GlobalRegistration {

  @SuppressAjWarnings("adviceDidNotMatch")
  void around(OpenTelemetry openTelemetry):
      call(void GlobalOpenTelemetry.set(OpenTelemetry)) && args(openTelemetry)
          && !within(dev.baton.runtime..*) {
    GlobalRegistrations.set(openTelemetry);
  }

  @SuppressAjWarnings("adviceDidNotMatch")
  void around(Supplier supplier):
      call(void GlobalOpenTelemetry.set(Supplier)) && args(supplier) && !within(dev.baton.runtime..*) {
    GlobalRegistrations.set(supplier);
  }
}
