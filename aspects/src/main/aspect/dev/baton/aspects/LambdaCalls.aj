package dev.baton.aspects;

import dev.baton.runtime.internal.TracedMethods;
import dev.baton.runtime.internal.aws.AwsCall;
import dev.baton.runtime.internal.aws.AwsCalls;
import dev.baton.runtime.internal.aws.LambdaInvokes;
import java.util.function.Consumer;
import org.aspectj.lang.annotation.SuppressAjWarnings;
import software.amazon.awssdk.services.lambda.LambdaAsyncClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeRequest;

/**
 * Lambda {@code Invoke} on {@code LambdaClient} and {@code LambdaAsyncClient}: the CLIENT span
 * {@code Lambda.Invoke} and the trace context in the client context's {@code custom} map, where a
 * {@code @TracedHandler} reads it. Woven only when the {@code lambda} module is on the classpath.
 * Each advice only calls {@link LambdaInvokes} and {@link AwsCalls}.
 */
public aspect LambdaCalls {

  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(Object client, InvokeRequest request):
      (call(* LambdaClient+.invoke(InvokeRequest)) || call(* LambdaAsyncClient+.invoke(InvokeRequest)))
          && target(client) && args(request) {
    AwsCall call = LambdaInvokes.invoke(client, request);
    try {
      Object result = proceed(client, LambdaInvokes.request(call, request));
      return AwsCalls.returned(call, result);
    } catch (Throwable failure) {
      AwsCalls.threw(call, failure);
      throw TracedMethods.rethrow(failure);
    }
  }

  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(Object client, Consumer consumer):
      (call(* LambdaClient+.invoke(Consumer)) || call(* LambdaAsyncClient+.invoke(Consumer)))
          && target(client) && args(consumer) {
    AwsCall call = LambdaInvokes.onBuildInvoke(client, consumer);
    try {
      Object result = proceed(client, AwsCalls.consumer(call, consumer));
      return AwsCalls.returned(call, result);
    } catch (Throwable failure) {
      AwsCalls.threw(call, failure);
      throw TracedMethods.rethrow(failure);
    }
  }
}
