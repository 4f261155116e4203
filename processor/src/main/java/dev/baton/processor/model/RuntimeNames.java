package dev.baton.processor.model;

import com.palantir.javapoet.ClassName;

/**
 * Every runtime type and member the generated code names, in one place: the processor's side of
 * the binary contract with {@code dev.baton.runtime.internal} (see that package's Javadoc and
 * {@code WovenContractTest}). The writers and the model take their names from here, so that a
 * renamed runtime member is one edit here, and the processor's tests, which compile the generated
 * code against the real runtime, fail until it is made.
 */
public final class RuntimeNames {

  public static final String RUNTIME_PACKAGE = "dev.baton.runtime.internal";
  public static final String LAMBDA_PACKAGE = RUNTIME_PACKAGE + ".lambda";
  public static final String SDK_PACKAGE = RUNTIME_PACKAGE + ".sdk";
  public static final String LOGS_PACKAGE = RUNTIME_PACKAGE + ".logs";

  public static final ClassName TRACED_METHODS = ClassName.get(RUNTIME_PACKAGE, "TracedMethods");
  public static final ClassName ATTRIBUTE_VALUES = ClassName.get(RUNTIME_PACKAGE, "AttributeValues");
  public static final ClassName FAILURES = ClassName.get(RUNTIME_PACKAGE, "Failures");
  public static final ClassName LAMBDA_INVOCATION = ClassName.get(LAMBDA_PACKAGE, "LambdaInvocation");
  public static final ClassName LAMBDA_EXTENSION = ClassName.get(LAMBDA_PACKAGE, "LambdaExtension");

  /** The factories of a message's {@code process} span: Lambda events', the SDK's messages'. */
  public static final ClassName MESSAGE_SPANS = ClassName.get(LAMBDA_PACKAGE, "MessageSpans");

  public static final ClassName SDK_MESSAGE_SPANS = ClassName.get(LAMBDA_PACKAGE, "SdkMessageSpans");

  // LambdaInvocation: the invocation's end, whatever the trigger.
  public static final String END = "end";

  // LambdaInvocation: the start of an invocation of any other event, given a trigger constant.
  public static final String START_OTHER = "startOther";

  // LambdaInvocation.startOther's trigger constants.
  public static final String TRIGGER_TIMER = "TIMER";
  public static final String TRIGGER_DATASOURCE = "DATASOURCE";
  public static final String TRIGGER_OTHER = "OTHER";

  // MessageSpans / SdkMessageSpans factories.
  public static final String SQS_MESSAGE = "sqsMessage";
  public static final String SNS_RECORD = "snsRecord";

  private RuntimeNames() {}
}
