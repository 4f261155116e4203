package com.acme.handlers;

import dev.baton.Traced;
import software.amazon.awssdk.services.sqs.model.Message;

/** A message received with the AWS SDK: its process span, continuing the sender's trace. */
public class SdkMessageConsumer {
  @Traced("handle order")
  void handle(Message message) {}
}
