package dev.baton.aspects;

import dev.baton.runtime.internal.TracedMethods;
import dev.baton.runtime.internal.aws.AwsCall;
import dev.baton.runtime.internal.aws.AwsCalls;
import dev.baton.runtime.internal.aws.EventBridgeEvents;
import java.util.function.Consumer;
import org.aspectj.lang.annotation.SuppressAjWarnings;
import software.amazon.awssdk.services.eventbridge.EventBridgeAsyncClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;

/**
 * EventBridge {@code PutEvents} on {@code EventBridgeClient} and {@code EventBridgeAsyncClient}:
 * the PRODUCER span {@code EventBridge.PutEvents}, and each entry's {@code TraceHeader}, unless
 * the caller set one, the span's context in X-Ray format. Woven only when the {@code eventbridge}
 * module is on the classpath. Each advice only calls {@link EventBridgeEvents} and {@link
 * AwsCalls}.
 */
public aspect EventBridgeCalls {

  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(Object client, PutEventsRequest request):
      (call(* EventBridgeClient+.putEvents(PutEventsRequest)) || call(* EventBridgeAsyncClient+.putEvents(PutEventsRequest)))
          && target(client) && args(request) {
    AwsCall call = EventBridgeEvents.putEvents(client, request);
    try {
      Object result = proceed(client, EventBridgeEvents.request(call, request));
      return AwsCalls.returned(call, result);
    } catch (Throwable failure) {
      AwsCalls.threw(call, failure);
      throw TracedMethods.rethrow(failure);
    }
  }

  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(Object client, Consumer consumer):
      (call(* EventBridgeClient+.putEvents(Consumer)) || call(* EventBridgeAsyncClient+.putEvents(Consumer)))
          && target(client) && args(consumer) {
    AwsCall call = EventBridgeEvents.onBuildPutEvents(client, consumer);
    try {
      Object result = proceed(client, AwsCalls.consumer(call, consumer));
      return AwsCalls.returned(call, result);
    } catch (Throwable failure) {
      AwsCalls.threw(call, failure);
      throw TracedMethods.rethrow(failure);
    }
  }
}
