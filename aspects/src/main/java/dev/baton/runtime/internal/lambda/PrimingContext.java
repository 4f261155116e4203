package dev.baton.runtime.internal.lambda;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>The Lambda {@link Context} of the priming invocation that Baton runs before a SnapStart
 * snapshot: shaped like Lambda's (a request id, the function's ARN, an unsampled X-Ray header), so
 * that the priming goes through the same code as an invocation. Nothing of it is exported.
 */
final class PrimingContext implements Context {

  private final String functionName;
  private final String arn;

  PrimingContext() {
    String name = System.getenv("AWS_LAMBDA_FUNCTION_NAME");
    String region = System.getenv("AWS_REGION");
    this.functionName = name == null || name.isEmpty() ? "function" : name;
    this.arn =
        "arn:aws:lambda:"
            + (region == null || region.isEmpty() ? "us-east-1" : region)
            + ":000000000000:function:"
            + functionName;
  }

  @Override
  public String getAwsRequestId() {
    return LambdaExtension.PRIMING_REQUEST_ID;
  }

  @Override
  public String getLogGroupName() {
    return null;
  }

  @Override
  public String getLogStreamName() {
    return null;
  }

  @Override
  public String getFunctionName() {
    return functionName;
  }

  @Override
  public String getFunctionVersion() {
    return "$LATEST";
  }

  @Override
  public String getInvokedFunctionArn() {
    return arn;
  }

  @Override
  public CognitoIdentity getIdentity() {
    return null;
  }

  @Override
  public ClientContext getClientContext() {
    return null;
  }

  @Override
  public int getRemainingTimeInMillis() {
    return 60_000;
  }

  @Override
  public int getMemoryLimitInMB() {
    return 0;
  }

  @Override
  public LambdaLogger getLogger() {
    return null;
  }

  @Override
  public String getXrayTraceId() {
    return "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0";
  }
}
