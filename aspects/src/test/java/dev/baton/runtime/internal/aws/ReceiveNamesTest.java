package dev.baton.runtime.internal.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;

/**
 * What a receive asks SQS for besides the caller's names: the context's message attributes and
 * {@code AWSTraceHeader}, with every name the caller asked for kept as the caller spelled it,
 * whether the request comes whole or through a consumer of its builder.
 */
class ReceiveNamesTest {

  private static ReceiveMessageRequest sent(ReceiveMessageRequest request, boolean viaConsumer) {
    SqsMessaging.Receive receive = new SqsMessaging.Receive(null, builder -> {});
    try {
      if (!viaConsumer) {
        receive.prepare(request);
        return receive.request == null ? request : receive.request;
      }
      ReceiveMessageRequest.Builder builder = request.toBuilder();
      receive.accept(builder);
      return builder.build();
    } finally {
      receive.returned(null); // the span's scope closed and the span ended, as after the SDK call
    }
  }

  @Test
  void aSystemAttributeNameNewerThanTheSdkIsKeptAsAsked() {
    for (boolean viaConsumer : List.of(false, true)) {
      ReceiveMessageRequest request =
          ReceiveMessageRequest.builder()
              .queueUrl("http://localhost/q")
              .messageSystemAttributeNamesWithStrings("SentTimestamp", "SomeAttributeFrom2030")
              .build();

      assertThat(sent(request, viaConsumer).messageSystemAttributeNamesAsStrings())
          .as("via consumer: %s", viaConsumer)
          .containsExactly("SentTimestamp", "SomeAttributeFrom2030", "AWSTraceHeader");
    }
  }

  @Test
  void allOrTheTraceHeaderAlreadyAskedForIsLeftAlone() {
    for (String asked : List.of("All", "AWSTraceHeader")) {
      ReceiveMessageRequest request =
          ReceiveMessageRequest.builder()
              .queueUrl("http://localhost/q")
              .messageSystemAttributeNamesWithStrings(asked)
              .messageAttributeNames("All")
              .build();

      assertThat(sent(request, false)).isSameAs(request);
      assertThat(sent(request, true).messageSystemAttributeNamesAsStrings()).containsExactly(asked);
    }
  }

  @Test
  void theOlderAttributeNamesAreCarriedOverToTheNewerParameter() {
    ReceiveMessageRequest request =
        ReceiveMessageRequest.builder()
            .queueUrl("http://localhost/q")
            .attributeNamesWithStrings("ApproximateReceiveCount")
            .build();

    assertThat(sent(request, true).messageSystemAttributeNamesAsStrings())
        .containsExactly("ApproximateReceiveCount", "AWSTraceHeader");
    assertThat(sent(request, false).messageSystemAttributeNamesAsStrings())
        .containsExactly("ApproximateReceiveCount", "AWSTraceHeader");
  }
}
