package dev.baton.runtime.internal.aws;

import dev.baton.runtime.internal.Failures;
import dev.baton.runtime.internal.SemanticConventions;
import io.opentelemetry.api.trace.SpanKind;
import software.amazon.awssdk.core.SdkResponse;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>A call of one of the SDK's no-argument convenience methods ({@code sqs.listQueues()}, {@code
 * dynamoDb.listTables()}), which builds its empty request inside the SDK, where Baton does not
 * weave. The advice knows the client but not the method, so the CLIENT span starts named after
 * the client's service ({@code Sqs}) and is renamed {@code Service.Operation} ({@code
 * Sqs.ListQueues}), with {@code rpc.method}, from the response's class when the response arrives.
 * A sampler or span processor that looks at the name on start sees the service alone, and so does
 * the exported span of a call that failed: no response, no operation.
 */
final class NoArgumentCall extends AwsCall {

  NoArgumentCall(Object client) {
    super(client, null);
  }

  /**
   * A started call of {@code client}. Typed {@link AwsCall} so that verifying {@link AwsCalls}
   * does not load this class for functions that make no such call.
   */
  static AwsCall started(Object client) {
    NoArgumentCall call = new NoArgumentCall(client);
    call.start();
    return call;
  }

  void start() {
    try {
      AwsOperation service = AwsOperation.ofClient(client);
      start(service, SpanKind.CLIENT, service.spanName());
    } catch (Throwable failure) {
      Failures.report("starting an AWS SDK call's span", failure);
    }
  }

  @Override
  void onResponse(SdkResponse response) {
    AwsOperation operation = AwsOperation.ofResponse(response);
    if (!operation.isKnown()) {
      return; // not a response class the SDK generated: the span keeps the service's name
    }
    span.updateName(operation.spanName());
    span.setAttribute(SemanticConventions.RPC_SERVICE, operation.service());
    span.setAttribute(SemanticConventions.RPC_METHOD, operation.operation());
  }
}
