package dev.baton.runtime.internal.aws;

import java.util.List;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>Which queue each message received by woven code came from, so that the {@code process} span
 * of a {@code @Traced} method taking an SDK {@code Message} can name its queue: the message itself
 * does not say. Many pollers at once (threads of one function, or concurrent invocations) each
 * find their own messages' queues, however many messages the others receive meanwhile. A message
 * from elsewhere, or a copy of a received one ({@code toBuilder().build()}), has no queue.
 *
 * <p>Messages are kept by identity and weakly ({@link WeakIdentityMap}): {@code Message}'s own
 * {@code equals} and {@code hashCode} read its whole body (up to 1 MiB) and every attribute, which
 * a map keyed by them would do for every message received and every span started, under a lock
 * all pollers share. At most {@value #STRIPES} x {@value #MAX_PER_STRIPE} messages are
 * remembered; past that (only when that many received messages are kept alive at once) the
 * longest-remembered ones lose their queue first, and their {@code process} span is named without
 * it.
 */
public final class ReceivedMessages {

  static final int STRIPES = 16;
  static final int MAX_PER_STRIPE = 1024;

  private static final WeakIdentityMap<Message, String> QUEUES =
      new WeakIdentityMap<>(STRIPES, MAX_PER_STRIPE);

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
