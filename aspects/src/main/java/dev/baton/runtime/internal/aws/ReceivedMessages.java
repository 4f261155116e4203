package dev.baton.runtime.internal.aws;

import java.lang.ref.WeakReference;
import java.util.List;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>Which queue the messages most recently received by woven code came from, so that the {@code
 * process} span of a {@code @Traced} method taking an SDK {@code Message} can name its queue: the
 * message itself does not say. A small ring of the last {@value #SIZE} messages, compared by
 * identity and held weakly: a message from elsewhere, or received long ago, just has no queue.
 */
public final class ReceivedMessages {

  static final int SIZE = 64;

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static final WeakReference<Message>[] MESSAGES = new WeakReference[SIZE];

  private static final String[] QUEUES = new String[SIZE];
  private static int next;

  private ReceivedMessages() {}

  static synchronized void remember(List<Message> messages, String queue) {
    if (messages == null || queue == null) {
      return;
    }
    for (Message message : messages) {
      MESSAGES[next] = new WeakReference<>(message);
      QUEUES[next] = queue;
      next = (next + 1) % SIZE;
    }
  }

  /** The queue {@code message} was received from by woven code, or null. */
  public static synchronized String queueOf(Message message) {
    if (message == null) {
      return null;
    }
    for (int i = 0; i < SIZE; i++) {
      WeakReference<Message> reference = MESSAGES[i];
      if (reference != null && reference.get() == message) {
        return QUEUES[i];
      }
    }
    return null;
  }
}
