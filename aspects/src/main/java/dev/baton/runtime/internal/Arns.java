package dev.baton.runtime.internal;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>Parts of ARNs ({@code arn:partition:service:region:account:resource}) and of the names that
 * stand in for them, read with {@code indexOf}: no regex, no {@code split}.
 */
public final class Arns {

  private static final String FUNCTION = ":function:";

  private Arns() {}

  /**
   * The part after the last {@code :} of an ARN: a queue or topic name ({@code
   * arn:aws:sns:...:orders} gives {@code orders}); null for null, empty, or an ARN ending in
   * {@code :}.
   */
  public static String lastPart(String arn) {
    if (arn == null || arn.isEmpty()) {
      return null;
    }
    String name = arn.substring(arn.lastIndexOf(':') + 1);
    return name.isEmpty() ? null : name;
  }

  /**
   * Part {@code index} (from 0) of the {@code :}-separated {@code arn}: 3 is the region, 4 the
   * account. Null when {@code arn} is null, has fewer parts, or that part is empty.
   */
  public static String part(String arn, int index) {
    if (arn == null) {
      return null;
    }
    int start = 0;
    for (int i = 0; i < index; i++) {
      int colon = arn.indexOf(':', start);
      if (colon < 0) {
        return null;
      }
      start = colon + 1;
    }
    int end = arn.indexOf(':', start);
    if (end < 0) {
      end = arn.length();
    }
    return end == start ? null : arn.substring(start, end);
  }

  /**
   * The function's name in what the Lambda API accepts as a function name: {@code my-fn}, {@code
   * my-fn:prod} (with a version or alias), {@code 123456789012:function:my-fn[:prod]} (a partial
   * ARN) or {@code arn:aws:lambda:us-east-1:123456789012:function:my-fn[:prod]}; all give {@code
   * my-fn}. Null for null or when no name is left.
   */
  public static String lambdaFunctionName(String functionName) {
    if (functionName == null) {
      return null;
    }
    int marker = functionName.indexOf(FUNCTION);
    int start = marker < 0 ? 0 : marker + FUNCTION.length();
    int end = functionName.indexOf(':', start);
    if (end < 0) {
      end = functionName.length();
    }
    return end == start ? null : functionName.substring(start, end);
  }

  /**
   * {@code cloud.resource_id} of a Lambda function invoked as {@code invokedArn}: the function's
   * ARN, with a qualifier (alias or version) replaced by {@code version}, the version that runs
   * ({@code AWS_LAMBDA_FUNCTION_VERSION}), as the semantic conventions ask, since one environment
   * may be invoked through several aliases. An unqualified ARN is kept as it is; null for null.
   */
  public static String functionResourceId(String invokedArn, String version) {
    if (invokedArn == null) {
      return null;
    }
    int marker = invokedArn.indexOf(FUNCTION);
    if (marker < 0) {
      return invokedArn;
    }
    int qualifier = invokedArn.indexOf(':', marker + FUNCTION.length());
    if (qualifier < 0) {
      return invokedArn;
    }
    String function = invokedArn.substring(0, qualifier);
    return version == null || version.isEmpty() ? function : function + ":" + version;
  }

  /**
   * The region in a Lambda function name given as a full ARN ({@code
   * arn:aws:lambda:us-east-1:123456789012:function:my-fn} gives {@code us-east-1}); null for a
   * plain or partial name, which the client resolves in its own region.
   */
  public static String lambdaFunctionRegion(String functionName) {
    if (functionName == null || !functionName.startsWith("arn:")) {
      return null;
    }
    return part(functionName, 3);
  }
}
