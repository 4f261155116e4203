package dev.baton.runtime.internal.aws;

import java.util.function.Consumer;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>What the advice of {@code dev.baton.aspects.AwsSdkCalls} calls around every AWS SDK v2 call
 * made from woven code. The shape of each advice is:
 *
 * <pre>{@code
 * AwsCall call = AwsCalls.start(client, request);      // or onBuild(client, consumer),
 *                                                      // or startWithoutRequest(client)
 * try {
 *   Object result = proceed(client, request);          // proceed(client, call) for a consumer
 *   return AwsCalls.returned(call, result);            // the same object, future or response
 * } catch (Throwable failure) {
 *   AwsCalls.threw(call, failure);
 *   throw TracedMethods.rethrow(failure);             // the same object
 * }
 * }</pre>
 *
 * <p>No method here throws.
 */
public final class AwsCalls {

  private AwsCalls() {}

  /** A call with a request object: starts its CLIENT span now. */
  public static AwsCall start(Object client, Object request) {
    AwsCall call = new AwsCall(client, null);
    call.start(request);
    return call;
  }

  /**
   * A call of a no-argument convenience method ({@code sqs.listQueues()}): starts its CLIENT span
   * now, named after the client's service, and names it {@code Service.Operation} when the
   * response arrives (see {@link NoArgumentCall}).
   */
  public static AwsCall startWithoutRequest(Object client) {
    return NoArgumentCall.started(client);
  }

  /**
   * A call with a {@code Consumer<Builder>}: returns the consumer to pass to the SDK instead of
   * the user's, which starts the span once the user's consumer has filled in the builder. A null
   * consumer is passed on as it is (the SDK throws for it, as it would without Baton).
   */
  @SuppressWarnings("unchecked")
  public static AwsCall onBuild(Object client, Consumer<?> consumer) {
    return consumer == null ? null : new AwsCall(client, (Consumer<Object>) consumer);
  }

  /**
   * What to hand the SDK in place of the user's consumer: {@code call} itself, or the user's
   * null.
   */
  public static Consumer<?> consumer(AwsCall call, Consumer<?> consumer) {
    return call == null ? consumer : call;
  }

  /**
   * The call returned {@code result}: ends the span now, or when {@code result}, a future,
   * completes. Returns {@code result} itself.
   */
  public static Object returned(AwsCall call, Object result) {
    return call == null ? result : call.returned(result);
  }

  /** The call threw {@code failure}: ends the span as failed. Never throws. */
  public static void threw(AwsCall call, Throwable failure) {
    if (call != null) {
      call.threw(failure);
    }
  }
}
