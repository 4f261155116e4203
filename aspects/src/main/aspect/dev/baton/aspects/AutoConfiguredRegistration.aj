package dev.baton.aspects;

import dev.baton.runtime.internal.GlobalRegistrations;
import dev.baton.runtime.internal.TracedMethods;
import dev.baton.runtime.internal.sdk.AutoConfiguredTelemetry;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdkBuilder;
import org.aspectj.lang.annotation.SuppressAjWarnings;

/**
 * The function's own {@code AutoConfiguredOpenTelemetrySdk.builder().setResultAsGlobal().build()}
 * works with Baton as without it (see {@link GlobalRegistration}); Baton then creates its spans
 * with that SDK and flushes it at the end of each invocation. A {@code build()} that does not
 * register globally leaves Baton's registration as it was. Woven wherever {@code
 * opentelemetry-sdk-extension-autoconfigure} is on the classpath.
 */
public aspect AutoConfiguredRegistration {

  @SuppressAjWarnings("adviceDidNotMatch")
  AutoConfiguredOpenTelemetrySdk around():
      call(AutoConfiguredOpenTelemetrySdk AutoConfiguredOpenTelemetrySdkBuilder.build())
          && !within(dev.baton.runtime..*) {
    boolean steppedAside = GlobalRegistrations.before();
    AutoConfiguredOpenTelemetrySdk built;
    try {
      built = proceed();
    } catch (Throwable failure) {
      AutoConfiguredTelemetry.afterRegistration(steppedAside, null);
      throw TracedMethods.rethrow(failure);
    }
    AutoConfiguredTelemetry.afterRegistration(steppedAside, built);
    return built;
  }
}
