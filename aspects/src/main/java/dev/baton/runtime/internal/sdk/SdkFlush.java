package dev.baton.runtime.internal.sdk;

import dev.baton.runtime.internal.TelemetryFlush;
import dev.baton.runtime.internal.export.InvocationSpanBuffer;
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
  private final InvocationSpanBuffer failedInvocations;

  private SdkFlush(OpenTelemetrySdk sdk, InvocationSpanBuffer failedInvocations) {
    this.sdk = sdk;
    this.failedInvocations = failedInvocations;
  }

  /** A flush of {@code sdk}'s three providers. */
  public static TelemetryFlush of(OpenTelemetrySdk sdk) {
    return new SdkFlush(sdk, null);
  }

  /**
   * A flush of {@code sdk}'s three providers and of {@code failedInvocations} (null: none), the
   * buffer beside the SDK's processors that keeps each invocation's unsampled spans, to export
   * them when it fails.
   */
  static TelemetryFlush of(OpenTelemetrySdk sdk, InvocationSpanBuffer failedInvocations) {
    return new SdkFlush(sdk, failedInvocations);
  }

  /** What the buffer for failed invocations keeps for this one; null without that buffer. */
  @Override
  public Invocation begin() {
    return failedInvocations == null ? null : failedInvocations.begin();
  }

  /**
   * Starts the three flushes together and waits for them one after the other against one
   * deadline: what {@link CompletableResultCode#ofAll} would do, without the completion callbacks
   * it registers (a lambda spun on the first invocation). An SDK's processors keep nothing per
   * invocation: what they hold goes out, whichever invocation it came from. While they export on
   * their own threads, this thread exports what the buffer for failed invocations kept for {@code
   * invocation} (when it failed), against the same deadline.
   */
  @Override
  public void flush(Invocation invocation, long timeoutMillis) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    CompletableResultCode[] flushes = {
      sdk.getSdkTracerProvider().forceFlush(),
      sdk.getSdkMeterProvider().forceFlush(),
      sdk.getSdkLoggerProvider().forceFlush()
    };
    Exception unsampled = null;
    if (failedInvocations != null) {
      try {
        failedInvocations.flush(invocation, timeoutMillis);
      } catch (TimeoutException | RuntimeException failure) {
        unsampled = failure;
      }
    }
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
    if (unsampled != null) {
      throw unsampled;
    }
  }

  @Override
  public String toString() {
    return "SdkFlush[" + sdk + "]";
  }
}
