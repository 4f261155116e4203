package dev.baton.processor;

/**
 * Every message the processor reports, as format strings for {@link String#format}. Each starts
 * with an id in brackets, says what is wrong with which element, and how to fix it. Tests import
 * these constants.
 */
public final class ErrorMessages {

  /** Arguments: method signature. */
  public static final String ABSTRACT_METHOD =
      "[BatonAbstractMethod] @Traced cannot weave abstract method '%s': annotate the"
          + " implementation instead.";

  /** Arguments: method signature. */
  public static final String NATIVE_METHOD =
      "[BatonNativeMethod] @Traced cannot weave native method '%s': call it from a Java method"
          + " and annotate that one.";

  /** Arguments: method signature, enclosing type description. */
  public static final String UNNAMED_CLASS =
      "[BatonUnnamedClass] @Traced cannot weave '%s' because it is declared in %s, which a"
          + " pointcut cannot name: move the method to a named class.";

  /** Arguments: method signature, default span name. */
  public static final String BLANK_SPAN_NAME =
      "[BatonBlankSpanName] @Traced span name of '%s' is blank: give a name, or remove the value"
          + " to use the default '%s'.";

  /** Arguments: parameter name, method signature. */
  public static final String SPAN_ATTRIBUTE_WITHOUT_TRACED =
      "[BatonSpanAttributeWithoutTraced] @SpanAttribute on parameter '%s' of '%s' has no effect"
          + " because the method is not @Traced: annotate the method with @Traced, or remove"
          + " @SpanAttribute.";

  /** Arguments: parameter name, constructor signature. */
  public static final String SPAN_ATTRIBUTE_ON_CONSTRUCTOR =
      "[BatonSpanAttributeOnConstructor] @SpanAttribute on parameter '%s' of constructor '%s' has"
          + " no effect: constructors are not traced; move the work into a @Traced method.";

  /** Arguments: parameter name, handler method signature. */
  public static final String SPAN_ATTRIBUTE_ON_HANDLER =
      "[BatonSpanAttributeOnHandler] @SpanAttribute on parameter '%s' of handler '%s' has no"
          + " effect: attributes are not recorded on handler parameters; move the value into a"
          + " @Traced method.";

  /** Arguments: method signature, the kind given, message parameter name. */
  public static final String MESSAGE_SPAN_KIND =
      "[BatonMessageSpanKind] @Traced kind %2$s of '%1$s' would be ignored: a method taking a"
          + " message (parameter '%3$s') gets that message's CONSUMER process span; remove kind.";

  /** Arguments: type, parameter name, method signature. */
  public static final String UNSUPPORTED_ATTRIBUTE_TYPE =
      "[BatonUnsupportedAttributeType] @SpanAttribute cannot record type '%s' of parameter '%s'"
          + " in '%s': supported are String, the primitives and their boxes, enums, and arrays"
          + " or Lists of those. Baton never records toString() of other objects (it can leak data"
          + " and costs time on every call): pass the value you want, such as an id, as its own"
          + " @SpanAttribute parameter.";

  /** Arguments: type, parameter name, method signature. */
  public static final String HASH_NOT_A_STRING =
      "[BatonHashNotAString] @SpanAttribute(hash = true) cannot hash type '%s' of parameter '%s'"
          + " in '%s': only String values are hashed; pass the value as a String (an id, an"
          + " e-mail address), or remove hash = true.";

  /** Arguments: parameter name, method signature, default key. */
  public static final String BLANK_ATTRIBUTE_KEY =
      "[BatonBlankAttributeKey] @SpanAttribute key of parameter '%s' in '%s' is blank: give a key,"
          + " or remove the value to use the parameter name '%s'.";

  /** Arguments: key, method signature, first parameter, second parameter. */
  public static final String DUPLICATE_ATTRIBUTE_KEY =
      "[BatonDuplicateAttributeKey] @SpanAttribute key '%s' is used twice in '%s' (parameters '%s'"
          + " and '%s'): give one of them another key.";

  /** Arguments: class name. */
  public static final String NOT_A_HANDLER =
      "[BatonNotAHandler] @TracedHandler on '%s': the class implements neither RequestHandler nor"
          + " RequestStreamHandler: implement one of them, or put @TracedHandler on the handler"
          + " method (one that takes a com.amazonaws.services.lambda.runtime.Context).";

  /** Arguments: class name. */
  public static final String HANDLER_METHOD_NOT_DECLARED =
      "[BatonHandlerMethodNotDeclared] @TracedHandler on '%s': the class does not declare"
          + " handleRequest itself: put @TracedHandler on the class that declares it, or on the"
          + " method.";

  /** Arguments: method signature. */
  public static final String HANDLER_WITHOUT_CONTEXT =
      "[BatonHandlerWithoutContext] @TracedHandler cannot trace '%s': a handler method takes a"
          + " com.amazonaws.services.lambda.runtime.Context; add one as its last parameter.";

  /** Arguments: method signature. */
  public static final String HANDLER_ALSO_TRACED =
      "[BatonHandlerAlsoTraced] '%s' is both the @TracedHandler and @Traced: the invocation span"
          + " already covers it; remove @Traced.";

  /** Arguments: method signature. */
  public static final String ABSTRACT_HANDLER =
      "[BatonAbstractMethod] @TracedHandler cannot weave abstract method '%s': annotate the"
          + " implementation instead.";

  /** Arguments: method signature. */
  public static final String NATIVE_HANDLER =
      "[BatonNativeMethod] @TracedHandler cannot weave native method '%s': call it from a Java"
          + " method and annotate that one.";

  /** Arguments: exception class and message. */
  public static final String INTERNAL_ERROR =
      "[BatonInternal] Baton's annotation processor failed (%s); please report this with the"
          + " stack trace:%n%s";

  private ErrorMessages() {}

  /** Arguments: the option's value. */
  public static final String UNKNOWN_TELEMETRY_OPTION =
      "[BatonTelemetryOption] -Abaton.telemetry=%s names no setup: use auto (the default: choose"
          + " from the classpath), autoconfigure, built-in or none.";

  /** Arguments: the option's value, the missing type, the dependencies that provide it. */
  public static final String TELEMETRY_UNAVAILABLE =
      "[BatonTelemetryOption] -Abaton.telemetry=%s needs %s on the compile classpath: add %s, or"
          + " choose another setup (auto, autoconfigure, built-in, none).";

  /** Arguments: the option's value. */
  public static final String UNKNOWN_LOGS_OPTION =
      "[BatonLogsOption] -Abaton.logs=%s names no logging library: use auto (the default: choose"
          + " from the classpath), slf4j, log4j or none.";

  /** Arguments: the option's value, the missing type, the dependency that provides it. */
  public static final String LOGS_UNAVAILABLE =
      "[BatonLogsOption] -Abaton.logs=%s needs %s on the compile classpath: add %s, or choose"
          + " another (auto, slf4j, log4j, none).";
}
