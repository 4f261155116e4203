package dev.baton.runtime.internal.aws;

import dev.baton.runtime.internal.Failures;
import io.opentelemetry.api.trace.Span;
import java.util.function.Consumer;
import software.amazon.awssdk.services.sfn.model.StartExecutionRequest;
import software.amazon.awssdk.services.sfn.model.StartSyncExecutionRequest;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>Step Functions {@code StartExecution} and {@code StartSyncExecution} from woven code: the
 * CLIENT span {@code Sfn.StartExecution} (the AWS call's attributes), and the request's {@code
 * traceHeader}, unless the caller set one, the span's context as an X-Ray trace header when the
 * span is sampled (see {@link XrayTraceHeader}), which the execution's trace continues. What {@code dev.baton.aspects.StepFunctionsCalls} calls, in
 * the shape of {@link AwsCalls}.
 */
public final class StepFunctionsExecutions {

  private StepFunctionsExecutions() {}

  /** {@code StartExecution} with a request. */
  public static AwsCall startExecution(Object client, StartExecutionRequest request) {
    Start call = new Start(client, null);
    call.prepare(request);
    return call;
  }

  /** {@code StartSyncExecution} with a request. */
  public static AwsCall startSyncExecution(Object client, StartSyncExecutionRequest request) {
    StartSync call = new StartSync(client, null);
    call.prepare(request);
    return call;
  }

  /** {@code StartExecution} with a {@code Consumer<Builder>}. */
  @SuppressWarnings("unchecked")
  public static AwsCall onBuildStartExecution(Object client, Consumer<?> consumer) {
    return consumer == null ? null : new Start(client, (Consumer<Object>) consumer);
  }

  /** {@code StartSyncExecution} with a {@code Consumer<Builder>}. */
  @SuppressWarnings("unchecked")
  public static AwsCall onBuildStartSyncExecution(Object client, Consumer<?> consumer) {
    return consumer == null ? null : new StartSync(client, (Consumer<Object>) consumer);
  }

  /** The request to send in place of {@code request}. */
  public static StartExecutionRequest request(AwsCall call, StartExecutionRequest request) {
    return call instanceof Start start && start.request != null ? start.request : request;
  }

  /** The request to send in place of {@code request}. */
  public static StartSyncExecutionRequest request(AwsCall call, StartSyncExecutionRequest request) {
    return call instanceof StartSync start && start.request != null ? start.request : request;
  }

  /**
   * The span's context as an X-Ray trace header for the request, or null (send it as it is) when
   * the caller set one ({@code callerHeader}), the span is not sampled, or that failed (reported).
   */
  private static String traceHeader(Span span, String callerHeader) {
    try {
      return callerHeader != null ? null : XrayTraceHeader.of(span);
    } catch (Throwable failure) {
      Failures.report("adding the trace header to a Step Functions execution", failure);
      return null;
    }
  }

  static final class Start extends AwsCall {
    StartExecutionRequest request;

    Start(Object client, Consumer<Object> mutation) {
      super(client, mutation);
    }

    void prepare(StartExecutionRequest original) {
      start(original);
      String header = original == null ? null : traceHeader(span, original.traceHeader());
      try {
        request = header == null ? null : original.toBuilder().traceHeader(header).build();
      } catch (Throwable failure) {
        Failures.report("adding the trace header to a Step Functions execution", failure);
      }
    }

    /** The header goes straight into the user's builder (no request built again to copy it). */
    @Override
    void onBuilderFilled(Object builder) {
      StartExecutionRequest.Builder startBuilder = (StartExecutionRequest.Builder) builder;
      StartExecutionRequest filled = startBuilder.build();
      start(filled);
      String header = traceHeader(span, filled.traceHeader());
      if (header != null) {
        startBuilder.traceHeader(header);
      }
    }
  }

  static final class StartSync extends AwsCall {
    StartSyncExecutionRequest request;

    StartSync(Object client, Consumer<Object> mutation) {
      super(client, mutation);
    }

    void prepare(StartSyncExecutionRequest original) {
      start(original);
      String header = original == null ? null : traceHeader(span, original.traceHeader());
      try {
        request = header == null ? null : original.toBuilder().traceHeader(header).build();
      } catch (Throwable failure) {
        Failures.report("adding the trace header to a Step Functions execution", failure);
      }
    }

    /** The header goes straight into the user's builder (no request built again to copy it). */
    @Override
    void onBuilderFilled(Object builder) {
      StartSyncExecutionRequest.Builder startBuilder = (StartSyncExecutionRequest.Builder) builder;
      StartSyncExecutionRequest filled = startBuilder.build();
      start(filled);
      String header = traceHeader(span, filled.traceHeader());
      if (header != null) {
        startBuilder.traceHeader(header);
      }
    }
  }
}
