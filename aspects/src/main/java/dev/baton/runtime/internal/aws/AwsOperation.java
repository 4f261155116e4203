package dev.baton.runtime.internal.aws;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>The service and operation of an AWS SDK v2 call, named as the SDK names them ({@code
 * DynamoDb}, {@code PutItem}), read once per request class from class names alone: every
 * generated request class is {@code software.amazon.awssdk.services.<module>.model.<Operation>Request}
 * and extends {@code <Service>Request}, and its builder is the nested {@code BuilderImpl} of both.
 * No reflection: only {@link Class#getName()} of the class and its superclass, cached in a {@link
 * ClassValue}.
 */
public final class AwsOperation {

  private static final String REQUEST = "Request";
  private static final String UNKNOWN = "Unknown";

  private static final ClassValue<AwsOperation> BY_CLASS =
      new ClassValue<AwsOperation>() {
        @Override
        protected AwsOperation computeValue(Class<?> type) {
          return fromNames(type.getName(), superclassName(type));
        }
      };

  private final String service;
  private final String operation;
  private final String spanName;

  AwsOperation(String service, String operation) {
    this.service = service;
    this.operation = operation;
    this.spanName = service + "." + operation;
  }

  /** The operation of a request object, or of a request builder (the Consumer overloads). */
  static AwsOperation of(Object requestOrBuilder) {
    return requestOrBuilder == null
        ? new AwsOperation(UNKNOWN, UNKNOWN)
        : BY_CLASS.get(requestOrBuilder.getClass());
  }

  /** {@code DynamoDb} */
  public String service() {
    return service;
  }

  /** {@code PutItem} */
  public String operation() {
    return operation;
  }

  /** {@code DynamoDb.PutItem} */
  public String spanName() {
    return spanName;
  }

  private static String superclassName(Class<?> type) {
    Class<?> superclass = type.getSuperclass();
    return superclass == null ? null : superclass.getName();
  }

  /**
   * From {@code ...dynamodb.model.PutItemRequest} (or {@code ...PutItemRequest$BuilderImpl}) and
   * its superclass {@code ...dynamodb.model.DynamoDbRequest} (or {@code
   * ...DynamoDbRequest$BuilderImpl}).
   */
  static AwsOperation fromNames(String className, String superclassName) {
    String operation = stripRequest(outerSimpleName(className));
    String service = superclassName == null ? null : stripRequest(outerSimpleName(superclassName));
    if (service == null || service.isEmpty()) {
      service = moduleName(className);
    }
    return new AwsOperation(
        service == null || service.isEmpty() ? UNKNOWN : service,
        operation == null || operation.isEmpty() ? UNKNOWN : operation);
  }

  /** {@code a.b.PutItemRequest$BuilderImpl} gives {@code PutItemRequest}. */
  private static String outerSimpleName(String className) {
    int start = className.lastIndexOf('.') + 1;
    int nested = className.indexOf('$', start);
    return nested < 0 ? className.substring(start) : className.substring(start, nested);
  }

  private static String stripRequest(String simpleName) {
    return simpleName.endsWith(REQUEST) && simpleName.length() > REQUEST.length()
        ? simpleName.substring(0, simpleName.length() - REQUEST.length())
        : null;
  }

  /** {@code software.amazon.awssdk.services.dynamodb.model.X} gives {@code dynamodb}. */
  private static String moduleName(String className) {
    String prefix = "software.amazon.awssdk.services.";
    if (!className.startsWith(prefix)) {
      return null;
    }
    int end = className.indexOf('.', prefix.length());
    return end < 0 ? null : className.substring(prefix.length(), end);
  }
}
