package dev.baton.aspects;

import dev.baton.runtime.internal.GlobalRegistrations;
import dev.baton.runtime.internal.TracedMethods;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import java.util.function.Supplier;
import org.aspectj.lang.annotation.SuppressAjWarnings;

/**
 * The function's own {@code GlobalOpenTelemetry.set(...)} calls work with Baton as without it:
 * when Baton's zero-code setup registered its SDK globally, that registration steps aside before
 * the call (which would otherwise throw {@code IllegalStateException}), and Baton creates its
 * spans with what the function registered from then on. Woven wherever the OpenTelemetry API is
 * on the classpath; {@link SdkRegistration} and {@link AutoConfiguredRegistration} do the same for
 * {@code buildAndRegisterGlobal()} and autoconfigure. Each advice only calls {@link
 * GlobalRegistrations}.
 */
public aspect GlobalRegistration {

  @SuppressAjWarnings("adviceDidNotMatch")
  void around(OpenTelemetry openTelemetry):
      call(void GlobalOpenTelemetry.set(OpenTelemetry)) && args(openTelemetry)
          && !within(dev.baton.runtime..*) {
    boolean steppedAside = GlobalRegistrations.before();
    try {
      proceed(openTelemetry);
    } catch (Throwable failure) {
      GlobalRegistrations.after(steppedAside, null);
      throw TracedMethods.rethrow(failure);
    }
    GlobalRegistrations.after(steppedAside, openTelemetry);
  }

  @SuppressAjWarnings("adviceDidNotMatch")
  void around(Supplier supplier):
      call(void GlobalOpenTelemetry.set(Supplier)) && args(supplier) && !within(dev.baton.runtime..*) {
    boolean steppedAside = GlobalRegistrations.before();
    try {
      proceed(supplier);
    } catch (Throwable failure) {
      GlobalRegistrations.after(steppedAside, null);
      throw TracedMethods.rethrow(failure);
    }
    GlobalRegistrations.after(steppedAside, null);
  }
}
