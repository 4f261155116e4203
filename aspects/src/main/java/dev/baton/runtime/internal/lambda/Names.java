package dev.baton.runtime.internal.lambda;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>Names derived from a Lambda context; those read from ARNs are {@link
 * dev.baton.runtime.internal.Arns}'s.
 */
final class Names {

  /** The span name when neither the context nor the environment names the function. */
  static final String UNKNOWN_FUNCTION = "lambda.invoke";

  private Names() {}

  /** The function's name: from the context, else {@code AWS_LAMBDA_FUNCTION_NAME}. */
  static String functionName(com.amazonaws.services.lambda.runtime.Context context) {
    String name = null;
    try {
      name = context == null ? null : context.getFunctionName();
    } catch (Throwable ignored) {
      // a broken context: the environment still knows
    }
    if (name == null || name.isEmpty()) {
      name = System.getenv("AWS_LAMBDA_FUNCTION_NAME");
    }
    return name == null || name.isEmpty() ? UNKNOWN_FUNCTION : name;
  }
}
