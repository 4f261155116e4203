package dev.baton.processor.model;

import com.palantir.javapoet.ClassName;

/**
 * The SQS message or SNS record parameter of a {@code @Traced} method, which makes its span that
 * message's {@code process} span.
 *
 * @param position the parameter's index
 * @param formalName the name generated code uses
 * @param formalType the parameter's type
 * @param factoryClass the runtime class starting its span ({@link RuntimeNames#MESSAGE_SPANS} for
 *     Lambda events, {@link RuntimeNames#SDK_MESSAGE_SPANS} for messages received with the AWS SDK)
 * @param factory that class's method, {@code sqsMessage} or {@code snsRecord}
 */
public record MessageModel(
    int position, String formalName, ClassName formalType, ClassName factoryClass, String factory) {}
