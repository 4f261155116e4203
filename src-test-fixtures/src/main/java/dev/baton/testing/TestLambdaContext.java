package dev.baton.testing;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.Client;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A Lambda {@link Context} for calling a handler in-process, with the values the Lambda runtime
 * would give. Immutable; the {@code with*} methods return changed copies.
 */
public final class TestLambdaContext implements Context {

  public static final String ACCOUNT_ID = "123456789012";
  public static final String REGION = "us-east-2";

  private final String requestId;
  private final String functionName;
  private final String invokedArn;
  private final Map<String, String> clientContextCustom;
  private final int remainingMillis;

  private TestLambdaContext(
      String requestId,
      String functionName,
      String invokedArn,
      Map<String, String> clientContextCustom,
      int remainingMillis) {
    this.requestId = requestId;
    this.functionName = functionName;
    this.invokedArn = invokedArn;
    this.clientContextCustom = clientContextCustom;
    this.remainingMillis = remainingMillis;
  }

  /** Function {@code functionName}, invoked by its unqualified ARN, 30 s left. */
  public static TestLambdaContext of(String requestId, String functionName) {
    return new TestLambdaContext(requestId, functionName, arn(functionName), null, 30_000);
  }

  /** The unqualified ARN of {@code functionName} in {@link #REGION}, account {@link #ACCOUNT_ID}. */
  public static String arn(String functionName) {
    return "arn:aws:lambda:" + REGION + ":" + ACCOUNT_ID + ":function:" + functionName;
  }

  /** A copy whose client context has the {@code custom} map (what a traced invoke sends). */
  public TestLambdaContext withClientContextCustom(Map<String, String> custom) {
    return new TestLambdaContext(requestId, functionName, invokedArn, custom, remainingMillis);
  }

  public TestLambdaContext withInvokedArn(String arn) {
    return new TestLambdaContext(requestId, functionName, arn, clientContextCustom, remainingMillis);
  }

  public TestLambdaContext withRemainingMillis(int millis) {
    return new TestLambdaContext(requestId, functionName, invokedArn, clientContextCustom, millis);
  }

  @Override
  public String getAwsRequestId() {
    return requestId;
  }

  @Override
  public String getLogGroupName() {
    return "/aws/lambda/" + functionName;
  }

  @Override
  public String getLogStreamName() {
    return "2024/05/01/[$LATEST]0123456789abcdef0123456789abcdef";
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
    return invokedArn;
  }

  @Override
  public CognitoIdentity getIdentity() {
    return null;
  }

  @Override
  public ClientContext getClientContext() {
    if (clientContextCustom == null) {
      return null;
    }
    return new ClientContext() {
      @Override
      public Client getClient() {
        return null;
      }

      @Override
      public Map<String, String> getCustom() {
        return clientContextCustom;
      }

      @Override
      public Map<String, String> getEnvironment() {
        return Map.of();
      }
    };
  }

  @Override
  public int getRemainingTimeInMillis() {
    return remainingMillis;
  }

  @Override
  public int getMemoryLimitInMB() {
    return 512;
  }

  @Override
  public LambdaLogger getLogger() {
    return new LambdaLogger() {
      @Override
      public void log(String message) {
        System.out.print(message);
      }

      @Override
      public void log(byte[] message) {
        System.out.print(new String(message, StandardCharsets.UTF_8));
      }
    };
  }
}
