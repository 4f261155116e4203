package dev.baton.aspects;

import dev.baton.runtime.internal.sdk.SdkRegistrations;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.OpenTelemetrySdkBuilder;
import org.aspectj.lang.annotation.SuppressAjWarnings;

/**
 * The function's own {@code OpenTelemetrySdk.builder()...buildAndRegisterGlobal()} works with
 * Baton as without it (see {@link GlobalRegistration}): the SDK is built, then registered through
 * Baton's runtime; Baton then creates its spans with that SDK and flushes it at the end of each
 * invocation. Woven wherever {@code opentelemetry-sdk} is on the classpath.
 */
public aspect SdkRegistration {

  @SuppressAjWarnings("adviceDidNotMatch")
  OpenTelemetrySdk around(OpenTelemetrySdkBuilder builder):
      call(OpenTelemetrySdk OpenTelemetrySdkBuilder.buildAndRegisterGlobal()) && target(builder)
          && !within(dev.baton.runtime..*) {
    return SdkRegistrations.buildAndRegisterGlobal(builder);
  }
}
