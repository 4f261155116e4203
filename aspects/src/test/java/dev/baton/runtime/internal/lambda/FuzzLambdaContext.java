package dev.baton.runtime.internal.lambda;

import com.amazonaws.services.lambda.runtime.Client;
import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import dev.baton.runtime.internal.FuzzValues;
import java.util.Map;

/**
 * A Lambda context for the fuzz targets, as the runtime client hands one over: an X-Ray header
 * (or none) and a client context whose custom map is the fuzzer's (or none).
 */
final class FuzzLambdaContext implements Context {

  private final String xrayTraceId;
  private final Map<String, String> custom;

  FuzzLambdaContext(String xrayTraceId, Map<String, String> custom) {
    this.xrayTraceId = xrayTraceId;
    this.custom = custom;
  }

  /** With an X-Ray header from {@code data} (or none) and the given custom map. */
  static FuzzLambdaContext of(FuzzedDataProvider data, Map<String, String> custom) {
    String xray = data.consumeBoolean() ? FuzzValues.value(data, "X-Amzn-Trace-Id", true) : null;
    return new FuzzLambdaContext(xray, custom);
  }

  @Override
  public String getXrayTraceId() {
    return xrayTraceId;
  }

  @Override
  public String getAwsRequestId() {
    return "fuzz-request";
  }

  @Override
  public String getLogGroupName() {
    return "/aws/lambda/fuzz";
  }

  @Override
  public String getLogStreamName() {
    return "fuzz";
  }

  @Override
  public String getFunctionName() {
    return "fuzz";
  }

  @Override
  public String getFunctionVersion() {
    return "$LATEST";
  }

  @Override
  public String getInvokedFunctionArn() {
    return "arn:aws:lambda:eu-west-1:123456789012:function:fuzz";
  }

  @Override
  public CognitoIdentity getIdentity() {
    return null;
  }

  @Override
  public ClientContext getClientContext() {
    if (custom == null) {
      return null;
    }
    return new ClientContext() {
      @Override
      public Client getClient() {
        return null;
      }

      @Override
      public Map<String, String> getCustom() {
        return custom;
      }

      @Override
      public Map<String, String> getEnvironment() {
        return null;
      }
    };
  }

  @Override
  public int getRemainingTimeInMillis() {
    return 30_000;
  }

  @Override
  public int getMemoryLimitInMB() {
    return 512;
  }

  @Override
  public LambdaLogger getLogger() {
    return null;
  }
}
