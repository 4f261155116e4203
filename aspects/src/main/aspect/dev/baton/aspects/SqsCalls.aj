package dev.baton.aspects;

import dev.baton.runtime.internal.TracedMethods;
import dev.baton.runtime.internal.aws.AwsCall;
import dev.baton.runtime.internal.aws.AwsCalls;
import dev.baton.runtime.internal.aws.SqsMessaging;
import java.util.function.Consumer;
import org.aspectj.lang.annotation.SuppressAjWarnings;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * SQS calls that carry the trace context, on {@code SqsClient} and {@code SqsAsyncClient}:
 * {@code SendMessage} and {@code SendMessageBatch} get a PRODUCER span {@code send <queue>} and the
 * context in every message's attributes; {@code ReceiveMessage} asks for those attributes. Woven
 * only when the {@code sqs} module is on the classpath (see {@code
 * META-INF/baton/library-aspects.properties}). Each advice only calls {@link SqsMessaging} and
 * {@link AwsCalls}.
 */
public aspect SqsCalls {

  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(Object client, SendMessageRequest request):
      (call(* SqsClient+.sendMessage(SendMessageRequest)) || call(* SqsAsyncClient+.sendMessage(SendMessageRequest)))
          && target(client) && args(request) {
    AwsCall call = SqsMessaging.send(client, request);
    try {
      Object result = proceed(client, SqsMessaging.request(call, request));
      return AwsCalls.returned(call, result);
    } catch (Throwable failure) {
      AwsCalls.threw(call, failure);
      throw TracedMethods.rethrow(failure);
    }
  }

  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(Object client, Consumer consumer):
      (call(* SqsClient+.sendMessage(Consumer)) || call(* SqsAsyncClient+.sendMessage(Consumer)))
          && target(client) && args(consumer) {
    AwsCall call = SqsMessaging.onBuildSend(client, consumer);
    try {
      Object result = proceed(client, AwsCalls.consumer(call, consumer));
      return AwsCalls.returned(call, result);
    } catch (Throwable failure) {
      AwsCalls.threw(call, failure);
      throw TracedMethods.rethrow(failure);
    }
  }

  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(Object client, SendMessageBatchRequest request):
      (call(* SqsClient+.sendMessageBatch(SendMessageBatchRequest)) || call(* SqsAsyncClient+.sendMessageBatch(SendMessageBatchRequest)))
          && target(client) && args(request) {
    AwsCall call = SqsMessaging.sendBatch(client, request);
    try {
      Object result = proceed(client, SqsMessaging.request(call, request));
      return AwsCalls.returned(call, result);
    } catch (Throwable failure) {
      AwsCalls.threw(call, failure);
      throw TracedMethods.rethrow(failure);
    }
  }

  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(Object client, Consumer consumer):
      (call(* SqsClient+.sendMessageBatch(Consumer)) || call(* SqsAsyncClient+.sendMessageBatch(Consumer)))
          && target(client) && args(consumer) {
    AwsCall call = SqsMessaging.onBuildSendBatch(client, consumer);
    try {
      Object result = proceed(client, AwsCalls.consumer(call, consumer));
      return AwsCalls.returned(call, result);
    } catch (Throwable failure) {
      AwsCalls.threw(call, failure);
      throw TracedMethods.rethrow(failure);
    }
  }

  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(Object client, ReceiveMessageRequest request):
      (call(* SqsClient+.receiveMessage(ReceiveMessageRequest)) || call(* SqsAsyncClient+.receiveMessage(ReceiveMessageRequest)))
          && target(client) && args(request) {
    AwsCall call = SqsMessaging.receive(client, request);
    try {
      Object result = proceed(client, SqsMessaging.request(call, request));
      return AwsCalls.returned(call, result);
    } catch (Throwable failure) {
      AwsCalls.threw(call, failure);
      throw TracedMethods.rethrow(failure);
    }
  }

  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(Object client, Consumer consumer):
      (call(* SqsClient+.receiveMessage(Consumer)) || call(* SqsAsyncClient+.receiveMessage(Consumer)))
          && target(client) && args(consumer) {
    AwsCall call = SqsMessaging.onBuildReceive(client, consumer);
    try {
      Object result = proceed(client, AwsCalls.consumer(call, consumer));
      return AwsCalls.returned(call, result);
    } catch (Throwable failure) {
      AwsCalls.threw(call, failure);
      throw TracedMethods.rethrow(failure);
    }
  }
}
