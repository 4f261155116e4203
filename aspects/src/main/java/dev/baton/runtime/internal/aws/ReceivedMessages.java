package dev.baton.runtime.internal.aws;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>Which queue each message received by woven code came from, so that the {@code process} span
 * of a {@code @Traced} method taking an SDK {@code Message} can name its queue: the message itself
 * does not say. Held weakly, for as long as the message is in use: many pollers at once (threads
 * of one function, or concurrent invocations) each find their own messages' queues, however many
 * messages the others receive meanwhile. A message from elsewhere just has no queue.
 */
public final class ReceivedMessages {

  private static final Map<Message, String> QUEUES =
      Collections.synchronizedMap(new WeakHashMap<>());

  private ReceivedMessages() {}

  static void remember(List<Message> messages, String queue) {
    if (messages == null || queue == null) {
      return;
    }
    for (Message message : messages) {
      if (message != null) {
        QUEUES.put(message, queue);
      }
    }
  }

  /** The queue {@code message} was received from by woven code, or null. */
  public static String queueOf(Message message) {
    return message == null ? null : QUEUES.get(message);
  }
}
