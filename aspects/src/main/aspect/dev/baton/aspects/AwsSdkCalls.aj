package dev.baton.aspects;

import dev.baton.runtime.internal.TracedMethods;
import dev.baton.runtime.internal.aws.AwsCall;
import dev.baton.runtime.internal.aws.AwsCalls;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.aspectj.lang.annotation.SuppressAjWarnings;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;

/**
 * A CLIENT span {@code Service.Operation} around every AWS SDK v2 call in woven code, made on any
 * client ({@code SdkClient} and its subtypes, sync or async), with a request object or a {@code
 * Consumer<Builder>}, or with no argument at all ({@code sqs.listQueues()}, {@code
 * dynamoDb.listTables()}: the convenience overloads that build an empty request inside the SDK).
 * The SDK jars are not woven: the call site is. Paginators are left out
 * (their calls happen later, inside the SDK), and so are the messaging operations that {@link
 * SqsCalls}, {@link SnsCalls}, {@link LambdaCalls}, {@link EventBridgeCalls} and {@link
 * StepFunctionsCalls} trace; those are excluded by name pattern
 * so that this aspect names no type of any service module and can be woven wherever {@code
 * sdk-core} is on the classpath.
 *
 * <p>Each advice only calls {@link AwsCalls}: ajc inlines it, and the woven call site references
 * no AspectJ closure or reflection.
 */
public aspect AwsSdkCalls {

  /** Operations a service aspect traces instead: they carry the trace context. */
  pointcut messagingOperation():
      call(* software.amazon.awssdk.services.sqs.Sqs*Client+.sendMessage(..))
          || call(* software.amazon.awssdk.services.sqs.Sqs*Client+.sendMessageBatch(..))
          || call(* software.amazon.awssdk.services.sqs.Sqs*Client+.receiveMessage(..))
          || call(* software.amazon.awssdk.services.sns.Sns*Client+.publish(..))
          || call(* software.amazon.awssdk.services.sns.Sns*Client+.publishBatch(..))
          || call(* software.amazon.awssdk.services.lambda.Lambda*Client+.invoke(..))
          || call(* software.amazon.awssdk.services.eventbridge.EventBridge*Client+.putEvents(..))
          || call(* software.amazon.awssdk.services.sfn.Sfn*Client+.startExecution(..))
          || call(* software.amazon.awssdk.services.sfn.Sfn*Client+.startSyncExecution(..));

  pointcut traced(): !messagingOperation() && !call(* *Paginator(..)) && !within(dev.baton.runtime..*);

  pointcut withRequest(SdkClient client, SdkRequest request):
      call(* SdkClient+.*(SdkRequest+, ..)) && target(client) && args(request, ..) && traced();

  pointcut withConsumer(SdkClient client, Consumer consumer):
      call(* SdkClient+.*(Consumer, ..)) && target(client) && args(consumer, ..) && traced();

  /**
   * A no-argument method returning a response, or a future of one: the convenience overloads.
   * Only operations return those; {@code close()}, {@code serviceName()}, {@code waiter()}, {@code
   * utilities()} and the paginators do not, and are named here as well so that no future SDK
   * change makes them traced.
   */
  pointcut withoutArguments(SdkClient client):
      (call(SdkResponse+ SdkClient+.*()) || call(CompletableFuture<SdkResponse+> SdkClient+.*()))
          && !call(* *.close()) && !call(* *.serviceName()) && !call(* *.waiter())
          && !call(* *.utilities()) && !call(* *.serviceClientConfiguration())
          && target(client) && traced();

  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(SdkClient client, SdkRequest request): withRequest(client, request) {
    AwsCall call = AwsCalls.start(client, request);
    try {
      Object result = proceed(client, request);
      return AwsCalls.returned(call, result);
    } catch (Throwable failure) {
      AwsCalls.threw(call, failure);
      throw TracedMethods.rethrow(failure);
    }
  }

  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(SdkClient client, Consumer consumer): withConsumer(client, consumer) {
    AwsCall call = AwsCalls.onBuild(client, consumer);
    try {
      Object result = proceed(client, AwsCalls.consumer(call, consumer));
      return AwsCalls.returned(call, result);
    } catch (Throwable failure) {
      AwsCalls.threw(call, failure);
      throw TracedMethods.rethrow(failure);
    }
  }

  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(SdkClient client): withoutArguments(client) {
    AwsCall call = AwsCalls.startWithoutRequest(client);
    try {
      Object result = proceed(client);
      return AwsCalls.returned(call, result);
    } catch (Throwable failure) {
      AwsCalls.threw(call, failure);
      throw TracedMethods.rethrow(failure);
    }
  }
}
