package dev.baton.runtime.internal.aws;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>The service and operation of an AWS SDK v2 call, named as the SDK names them ({@code
 * DynamoDb}, {@code PutItem}), read once per request class from class names alone: every
 * generated request class is {@code software.amazon.awssdk.services.<module>.model.<Operation>Request}
 * and extends {@code <Service>Request}, and its builder is the nested {@code BuilderImpl} of both.
 * Responses are named the same way ({@code ListQueuesResponse} extends {@code SqsResponse}), which
 * is how a call of a no-argument convenience method ({@code sqs.listQueues()}) learns its
 * operation; before its response arrives only its service is known, from the client's class
 * ({@code DefaultSqsClient}, {@code DefaultSqsAsyncClient}). No reflection: only {@link
 * Class#getName()} of a class and its superclass, cached in a {@link ClassValue}.
 */
public final class AwsOperation {

  private static final String REQUEST = "Request";
  private static final String RESPONSE = "Response";
  private static final String UNKNOWN = "Unknown";
  private static final String SDK_SERVICES = "software.amazon.awssdk.services.";

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

  /** {@code operation} null: not known yet, and the span is named after the service alone. */
  AwsOperation(String service, String operation) {
    this.service = service;
    this.operation = operation;
    this.spanName = operation == null ? service : service + "." + operation;
  }

  /** The operation of a request object, or of a request builder (the Consumer overloads). */
  static AwsOperation of(Object requestOrBuilder) {
    return requestOrBuilder == null
        ? new AwsOperation(UNKNOWN, UNKNOWN)
        : BY_CLASS.get(requestOrBuilder.getClass());
  }

  /**
   * The operation that answered with {@code response} (an SDK response object, or null): {@code
   * ...sqs.model.ListQueuesResponse} gives {@code Sqs.ListQueues}.
   */
  static AwsOperation ofResponse(Object response) {
    return response == null
        ? new AwsOperation(UNKNOWN, UNKNOWN)
        : ByResponseClass.CACHE.get(response.getClass());
  }

  /**
   * The service of {@code client}, with no operation: {@code ...sqs.DefaultSqsClient} gives
   * {@code Sqs}. What a no-argument call is named before its response arrives.
   */
  static AwsOperation ofClient(Object client) {
    return client == null
        ? new AwsOperation(UNKNOWN, null)
        : ByClientClass.CACHE.get(client.getClass());
  }

  /** Whether both the service and the operation were read from the class names. */
  boolean isKnown() {
    return operation != null && !UNKNOWN.equals(operation) && !UNKNOWN.equals(service);
  }

  /** {@code DynamoDb} */
  public String service() {
    return service;
  }

  /** {@code PutItem}, or null when not known (see {@link #ofClient}). */
  public String operation() {
    return operation;
  }

  /** {@code DynamoDb.PutItem} */
  public String spanName() {
    return spanName;
  }

  /** Only no-argument calls look responses up: loaded on the first, not with this class. */
  private static final class ByResponseClass {
    static final ClassValue<AwsOperation> CACHE =
        new ClassValue<AwsOperation>() {
          @Override
          protected AwsOperation computeValue(Class<?> type) {
            return fromNames(type.getName(), superclassName(type), RESPONSE);
          }
        };
  }

  /** Only no-argument calls look clients up: loaded on the first, not with this class. */
  private static final class ByClientClass {
    static final ClassValue<AwsOperation> CACHE =
        new ClassValue<AwsOperation>() {
          @Override
          protected AwsOperation computeValue(Class<?> type) {
            return fromClientName(type.getName());
          }
        };
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
    return fromNames(className, superclassName, REQUEST);
  }

  /**
   * From {@code ...<Operation><suffix>} and its superclass {@code ...<Service><suffix>}, {@code
   * suffix} being {@code Request} or {@code Response}.
   */
  static AwsOperation fromNames(String className, String superclassName, String suffix) {
    String operation = strip(outerSimpleName(className), suffix);
    String service = superclassName == null ? null : strip(outerSimpleName(superclassName), suffix);
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

  private static String strip(String simpleName, String suffix) {
    return simpleName.endsWith(suffix) && simpleName.length() > suffix.length()
        ? simpleName.substring(0, simpleName.length() - suffix.length())
        : null;
  }

  /**
   * From an SDK client's class name: {@code ...sqs.DefaultSqsClient}, {@code
   * ...dynamodb.DefaultDynamoDbAsyncClient}, or a subclass or mock of the interface in the same
   * package ({@code ...sqs.SqsClient$MockitoMock$1}) gives the service; a client class outside
   * the SDK's packages gives {@code Unknown}.
   */
  static AwsOperation fromClientName(String className) {
    if (!className.startsWith(SDK_SERVICES)) {
      return new AwsOperation(UNKNOWN, null);
    }
    String simpleName = outerSimpleName(className);
    String service = simpleName.startsWith("Default") ? simpleName.substring("Default".length()) : simpleName;
    String stripped = strip(service, "AsyncClient");
    if (stripped == null) {
      stripped = strip(service, "Client");
    }
    if (stripped == null) {
      stripped = moduleName(className);
    }
    return new AwsOperation(stripped == null ? UNKNOWN : stripped, null);
  }

  /** {@code software.amazon.awssdk.services.dynamodb.model.X} gives {@code dynamodb}. */
  private static String moduleName(String className) {
    if (!className.startsWith(SDK_SERVICES)) {
      return null;
    }
    int end = className.indexOf('.', SDK_SERVICES.length());
    return end < 0 ? null : className.substring(SDK_SERVICES.length(), end);
  }
}
