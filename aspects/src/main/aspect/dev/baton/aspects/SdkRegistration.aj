package dev.baton.aspects;

import dev.baton.runtime.internal.GlobalRegistrations;
import dev.baton.runtime.internal.TracedMethods;
import dev.baton.runtime.internal.sdk.SdkRegistrations;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.OpenTelemetrySdkBuilder;
import org.aspectj.lang.annotation.SuppressAjWarnings;

/**
 * The function's own {@code OpenTelemetrySdk.builder()...buildAndRegisterGlobal()} works with
 * Baton as without it (see {@link GlobalRegistration}); Baton then creates its spans with that
 * SDK and flushes it at the end of each invocation. Woven wherever {@code opentelemetry-sdk} is on
 * the classpath.
 */
public aspect SdkRegistration {

  @SuppressAjWarnings("adviceDidNotMatch")
  OpenTelemetrySdk around():
      call(OpenTelemetrySdk OpenTelemetrySdkBuilder.buildAndRegisterGlobal()) && !within(dev.baton.runtime..*) {
    boolean steppedAside = GlobalRegistrations.before();
    OpenTelemetrySdk sdk;
    try {
      sdk = proceed();
    } catch (Throwable failure) {
      SdkRegistrations.after(steppedAside, null);
      throw TracedMethods.rethrow(failure);
    }
    SdkRegistrations.after(steppedAside, sdk);
    return sdk;
  }
}
