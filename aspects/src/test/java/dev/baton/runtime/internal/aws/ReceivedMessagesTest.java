package dev.baton.runtime.internal.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/** Many pollers at once each find the queue of every message they received. */
class ReceivedMessagesTest {

  @Test
  void concurrentPollersDoNotLoseEachOthersQueues() throws Exception {
    int pollers = 4;
    CyclicBarrier together = new CyclicBarrier(pollers);
    ExecutorService pool = Executors.newFixedThreadPool(pollers);
    try {
      List<Future<List<Message>>> received = new ArrayList<>();
      for (int p = 0; p < pollers; p++) {
        String queue = "queue-" + p;
        received.add(pool.submit(() -> {
          List<Message> mine = new ArrayList<>();
          together.await(10, TimeUnit.SECONDS);
          for (int batch = 0; batch < 20; batch++) {
            List<Message> messages = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
              messages.add(Message.builder().messageId(queue + "-" + batch + "-" + i).body("b").build());
            }
            ReceivedMessages.remember(messages, queue);
            mine.addAll(messages);
          }
          return mine;
        }));
      }
      for (int p = 0; p < pollers; p++) {
        String queue = "queue-" + p;
        assertThat(received.get(p).get(30, TimeUnit.SECONDS))
            .hasSize(200)
            .allSatisfy(message -> assertThat(ReceivedMessages.queueOf(message)).isEqualTo(queue));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aMessageIsKnownByIdentityNotByItsBody() {
    // Message.equals and hashCode read the whole body, up to 1 MiB: never called here.
    Message received = Message.builder().messageId("m-1").body("x".repeat(1 << 20)).build();
    ReceivedMessages.remember(List.of(received), "big-orders");

    assertThat(ReceivedMessages.queueOf(received)).isEqualTo("big-orders");
    Message copy = received.toBuilder().build();
    assertThat(copy).isEqualTo(received);
    assertThat(ReceivedMessages.queueOf(copy)).as("an equal copy is another message").isNull();
  }

  @Test
  void aMessageFromElsewhereHasNoQueue() {
    assertThat(ReceivedMessages.queueOf(Message.builder().messageId("never received").build())).isNull();
    assertThat(ReceivedMessages.queueOf(null)).isNull();
    ReceivedMessages.remember(null, "q");
    ReceivedMessages.remember(List.of(), null);
  }
}
