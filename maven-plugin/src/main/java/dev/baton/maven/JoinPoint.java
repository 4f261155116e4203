package dev.baton.maven;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>One join point ajc wove, read from its {@code -showWeaveInfo} message:
 *
 * <pre>
 * Join point 'method-execution(int com.acme.OrderService.price(int, java.lang.String))' in Type
 * 'com.acme.OrderService' (OrderService.java:13) advised by around advice from
 * 'com.acme.OrderService_BatonAspect' (OrderService_BatonAspect.aj:14)
 * </pre>
 *
 * @param kind {@code method-execution}, {@code method-call}, ...
 * @param signature the join point's signature, {@code int com.acme.OrderService.price(int,
 *     java.lang.String)}
 * @param type the woven type, {@code com.acme.OrderService}
 * @param sourceFile the woven type's source with its package directory, {@code
 *     com/acme/OrderService.java}
 * @param line the join point's line in it
 * @param aspect the advising aspect, {@code com.acme.OrderService_BatonAspect}
 */
record JoinPoint(
    String kind, String signature, String type, String sourceFile, int line, String aspect) {

  private static final Pattern WEAVE_INFO =
      Pattern.compile(
          "Join point '(?<kind>[\\w-]+)\\((?<signature>.*)\\)' in Type '(?<type>[^']+)'"
              + " \\((?<file>[^:)]*):?(?<line>\\d*)\\) advised by .*? from '(?<aspect>[^']+)'.*",
          Pattern.DOTALL);

  /** The join point in a weave-info message, or {@code null} for other weave-info messages. */
  static JoinPoint parse(String message) {
    Matcher matcher = WEAVE_INFO.matcher(message);
    if (!matcher.matches()) {
      return null;
    }
    String type = matcher.group("type");
    int lastDot = type.lastIndexOf('.');
    String file = matcher.group("file");
    String sourceFile =
        file.isEmpty() || lastDot < 0
            ? file
            : type.substring(0, lastDot).replace('.', '/') + "/" + file;
    String line = matcher.group("line");
    return new JoinPoint(
        matcher.group("kind"),
        matcher.group("signature"),
        type,
        sourceFile,
        line.isEmpty() ? 0 : Integer.parseInt(line),
        matcher.group("aspect"));
  }

  /** The library aspects around the function's own global OpenTelemetry registration. */
  private static final java.util.Set<String> REGISTRATION_ASPECTS =
      java.util.Set.of(
          "dev.baton.aspects.GlobalRegistration",
          "dev.baton.aspects.SdkRegistration",
          "dev.baton.aspects.AutoConfiguredRegistration");

  /** The library aspects around HTTP client calls: a CLIENT span, the context in the headers. */
  private static final java.util.Set<String> HTTP_CLIENT_ASPECTS =
      java.util.Set.of(
          "dev.baton.aspects.JdkHttpClientCalls",
          "dev.baton.aspects.ApacheHttpClientCalls",
          "dev.baton.aspects.OkHttpCalls");

  /** Whether this call site is an HTTP client's (JDK, Apache HttpClient 5, OkHttp). */
  boolean isHttpClientCall() {
    return HTTP_CLIENT_ASPECTS.contains(aspect);
  }

  /**
   * Whether this call site registers the function's own OpenTelemetry globally (no span: Baton's
   * global instance switches to what it registers).
   */
  boolean isRegistration() {
    return REGISTRATION_ASPECTS.contains(aspect);
  }

  /**
   * For an AWS SDK call site, the operation as its span names it: {@code Sqs.SendMessage} for
   * {@code SqsClient.sendMessage(..)} or {@code SqsAsyncClient.sendMessage(..)}; for a
   * registration or an HTTP client call, the method called ({@code GlobalOpenTelemetry.set},
   * {@code HttpClient.sendAsync}).
   */
  String operation() {
    int parenthesis = signature.indexOf('(');
    if (parenthesis < 0) {
      return signature;
    }
    String qualified = signature.substring(signature.lastIndexOf(' ', parenthesis) + 1, parenthesis);
    int dot = qualified.lastIndexOf('.');
    String method = qualified.substring(dot + 1);
    String client = qualified.substring(qualified.lastIndexOf('.', dot - 1) + 1, dot);
    if (isRegistration() || isHttpClientCall()) {
      return client + "." + method;
    }
    String service = client.replaceFirst("(Async)?Client$", "");
    return service + "." + Character.toUpperCase(method.charAt(0)) + method.substring(1);
  }

  /**
   * For an AWS SDK call site, the kind of its span: PRODUCER for sends and publishes; {@code
   * none} for a registration.
   */
  String spanKind() {
    if (isRegistration()) {
      return "none";
    }
    return isSend() ? "PRODUCER" : "CLIENT";
  }

  /** For an AWS SDK call site, what it does with the trace context. */
  String contextPropagation() {
    if (isRegistration()) {
      return "Baton's global instance switches to what is registered";
    }
    if (isHttpClientCall()) {
      return "injects";
    }
    String operation = operation();
    if (isSend()
        || operation.equals("Lambda.Invoke")
        || operation.equals("Lambda.InvokeAsync")
        || operation.equals("Sfn.StartExecution")
        || operation.equals("Sfn.StartSyncExecution")) {
      return "injects";
    }
    return operation.equals("Sqs.ReceiveMessage") ? "requests the context attributes" : "none";
  }

  private boolean isSend() {
    String operation = operation();
    return operation.equals("Sqs.SendMessage")
        || operation.equals("Sqs.SendMessageBatch")
        || operation.equals("Sns.Publish")
        || operation.equals("Sns.PublishBatch")
        || operation.equals("EventBridge.PutEvents");
  }

  /** {@code com/acme/OrderService.java:13}. */
  String location() {
    return location(sourceFile, line);
  }

  /** {@code com/acme/OrderService.java:13}, or the file alone when {@code line} is unknown (0). */
  static String location(String sourceFile, int line) {
    return line > 0 ? sourceFile + ":" + line : sourceFile;
  }
}
