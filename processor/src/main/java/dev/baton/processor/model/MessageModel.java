package dev.baton.processor.model;

/**
 * The SQS message or SNS record parameter of a {@code @Traced} method, which makes its span that
 * message's {@code process} span.
 *
 * @param position the parameter's index
 * @param formalName the name generated code uses
 * @param formalType the parameter's type in source form
 * @param factory the {@code MessageSpans} method, {@code sqsMessage} or {@code snsRecord}
 */
public record MessageModel(int position, String formalName, String formalType, String factory) {}
