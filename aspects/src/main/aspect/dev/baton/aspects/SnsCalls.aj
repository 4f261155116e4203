package dev.baton.aspects;

import dev.baton.runtime.internal.TracedMethods;
import dev.baton.runtime.internal.aws.AwsCall;
import dev.baton.runtime.internal.aws.AwsCalls;
import dev.baton.runtime.internal.aws.SnsMessaging;
import java.util.function.Consumer;
import org.aspectj.lang.annotation.SuppressAjWarnings;
import software.amazon.awssdk.services.sns.SnsAsyncClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.PublishBatchRequest;
import software.amazon.awssdk.services.sns.model.PublishRequest;

/**
 * SNS {@code Publish} and {@code PublishBatch} on {@code SnsClient} and {@code SnsAsyncClient}: a
 * PRODUCER span {@code send <topic>} and the trace context in every message's attributes. Woven
 * only when the {@code sns} module is on the classpath. Each advice only calls {@link
 * SnsMessaging} and {@link AwsCalls}.
 */
public aspect SnsCalls {

  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(Object client, PublishRequest request):
      (call(* SnsClient+.publish(PublishRequest)) || call(* SnsAsyncClient+.publish(PublishRequest)))
          && target(client) && args(request) {
    AwsCall call = SnsMessaging.publish(client, request);
    try {
      Object result = proceed(client, SnsMessaging.request(call, request));
      return AwsCalls.returned(call, result);
    } catch (Throwable failure) {
      AwsCalls.threw(call, failure);
      throw TracedMethods.rethrow(failure);
    }
  }

  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(Object client, Consumer consumer):
      (call(* SnsClient+.publish(Consumer)) || call(* SnsAsyncClient+.publish(Consumer)))
          && target(client) && args(consumer) {
    AwsCall call = SnsMessaging.onBuildPublish(client, consumer);
    try {
      Object result = proceed(client, AwsCalls.consumer(call, consumer));
      return AwsCalls.returned(call, result);
    } catch (Throwable failure) {
      AwsCalls.threw(call, failure);
      throw TracedMethods.rethrow(failure);
    }
  }

  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(Object client, PublishBatchRequest request):
      (call(* SnsClient+.publishBatch(PublishBatchRequest)) || call(* SnsAsyncClient+.publishBatch(PublishBatchRequest)))
          && target(client) && args(request) {
    AwsCall call = SnsMessaging.publishBatch(client, request);
    try {
      Object result = proceed(client, SnsMessaging.request(call, request));
      return AwsCalls.returned(call, result);
    } catch (Throwable failure) {
      AwsCalls.threw(call, failure);
      throw TracedMethods.rethrow(failure);
    }
  }

  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(Object client, Consumer consumer):
      (call(* SnsClient+.publishBatch(Consumer)) || call(* SnsAsyncClient+.publishBatch(Consumer)))
          && target(client) && args(consumer) {
    AwsCall call = SnsMessaging.onBuildPublishBatch(client, consumer);
    try {
      Object result = proceed(client, AwsCalls.consumer(call, consumer));
      return AwsCalls.returned(call, result);
    } catch (Throwable failure) {
      AwsCalls.threw(call, failure);
      throw TracedMethods.rethrow(failure);
    }
  }
}
