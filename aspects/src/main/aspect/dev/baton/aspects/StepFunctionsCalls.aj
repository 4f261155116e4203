package dev.baton.aspects;

import dev.baton.runtime.internal.TracedMethods;
import dev.baton.runtime.internal.aws.AwsCall;
import dev.baton.runtime.internal.aws.AwsCalls;
import dev.baton.runtime.internal.aws.StepFunctionsExecutions;
import java.util.function.Consumer;
import org.aspectj.lang.annotation.SuppressAjWarnings;
import software.amazon.awssdk.services.sfn.SfnAsyncClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.StartExecutionRequest;
import software.amazon.awssdk.services.sfn.model.StartSyncExecutionRequest;

/**
 * Step Functions {@code StartExecution} and {@code StartSyncExecution} on {@code SfnClient} and
 * {@code SfnAsyncClient}: the CLIENT span {@code Sfn.StartExecution} (or {@code
 * Sfn.StartSyncExecution}), and the request's {@code traceHeader}, unless the caller set one, the
 * span's context in X-Ray format. Woven only when the {@code sfn} module is on the classpath.
 * Each advice only calls {@link StepFunctionsExecutions} and {@link AwsCalls}.
 */
public aspect StepFunctionsCalls {

  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(Object client, StartExecutionRequest request):
      (call(* SfnClient+.startExecution(StartExecutionRequest)) || call(* SfnAsyncClient+.startExecution(StartExecutionRequest)))
          && target(client) && args(request) {
    AwsCall call = StepFunctionsExecutions.startExecution(client, request);
    try {
      Object result = proceed(client, StepFunctionsExecutions.request(call, request));
      return AwsCalls.returned(call, result);
    } catch (Throwable failure) {
      AwsCalls.threw(call, failure);
      throw TracedMethods.rethrow(failure);
    }
  }

  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(Object client, Consumer consumer):
      (call(* SfnClient+.startExecution(Consumer)) || call(* SfnAsyncClient+.startExecution(Consumer)))
          && target(client) && args(consumer) {
    AwsCall call = StepFunctionsExecutions.onBuildStartExecution(client, consumer);
    try {
      Object result = proceed(client, AwsCalls.consumer(call, consumer));
      return AwsCalls.returned(call, result);
    } catch (Throwable failure) {
      AwsCalls.threw(call, failure);
      throw TracedMethods.rethrow(failure);
    }
  }

  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(Object client, StartSyncExecutionRequest request):
      (call(* SfnClient+.startSyncExecution(StartSyncExecutionRequest)) || call(* SfnAsyncClient+.startSyncExecution(StartSyncExecutionRequest)))
          && target(client) && args(request) {
    AwsCall call = StepFunctionsExecutions.startSyncExecution(client, request);
    try {
      Object result = proceed(client, StepFunctionsExecutions.request(call, request));
      return AwsCalls.returned(call, result);
    } catch (Throwable failure) {
      AwsCalls.threw(call, failure);
      throw TracedMethods.rethrow(failure);
    }
  }

  @SuppressAjWarnings("adviceDidNotMatch")
  Object around(Object client, Consumer consumer):
      (call(* SfnClient+.startSyncExecution(Consumer)) || call(* SfnAsyncClient+.startSyncExecution(Consumer)))
          && target(client) && args(consumer) {
    AwsCall call = StepFunctionsExecutions.onBuildStartSyncExecution(client, consumer);
    try {
      Object result = proceed(client, AwsCalls.consumer(call, consumer));
      return AwsCalls.returned(call, result);
    } catch (Throwable failure) {
      AwsCalls.threw(call, failure);
      throw TracedMethods.rethrow(failure);
    }
  }
}
