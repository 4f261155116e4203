package dev.baton.runtime.internal.sdk;

import dev.baton.runtime.internal.TelemetryFlush;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>Flushes an {@link OpenTelemetrySdk}'s tracer, meter and logger providers together and waits
 * for them at most the given time: the flush of {@link AutoConfiguredTelemetry} and {@link
 * SdkSetup} (the built-in setup flushes its {@code InvocationSpanBuffer} instead). Like the rest of
 * {@code internal.sdk} and {@code internal.export} it touches the SDK's classes, which the runtime
 * core does not, so that a function without the SDK never loads them.
 */
public final class SdkFlush implements TelemetryFlush {

  private final OpenTelemetrySdk sdk;

  private SdkFlush(OpenTelemetrySdk sdk) {
    this.sdk = sdk;
  }

  /** A flush of {@code sdk}'s three providers. */
  public static TelemetryFlush of(OpenTelemetrySdk sdk) {
    return new SdkFlush(sdk);
  }

  /**
   * Starts the three flushes together and waits for them one after the other against one
   * deadline: what {@link CompletableResultCode#ofAll} would do, without the completion callbacks
   * it registers (a lambda spun on the first invocation). An SDK's processors keep nothing per
   * invocation ({@code invocation} is null): what they hold goes out, whichever invocation it
   * came from.
   */
  @Override
  public void flush(Invocation invocation, long timeoutMillis) throws TimeoutException {
    CompletableResultCode[] flushes = {
      sdk.getSdkTracerProvider().forceFlush(),
      sdk.getSdkMeterProvider().forceFlush(),
      sdk.getSdkLoggerProvider().forceFlush()
    };
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    CompletableResultCode failed = null;
    for (CompletableResultCode flush : flushes) {
      flush.join(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (!flush.isDone()) {
        throw new TimeoutException(
            "the exporter did not finish within " + timeoutMillis + " ms (BATON_FLUSH_TIMEOUT_MS)");
      }
      if (!flush.isSuccess() && (failed == null || failed.getFailureThrowable() == null)) {
        failed = flush;
      }
    }
    if (failed != null) {
      throw new IllegalStateException("the exporter reported a failure", failed.getFailureThrowable());
    }
  }

  @Override
  public String toString() {
    return "SdkFlush[" + sdk + "]";
  }
}
