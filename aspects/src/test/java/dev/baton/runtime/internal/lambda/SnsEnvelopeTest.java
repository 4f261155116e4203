package dev.baton.runtime.internal.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.runtime.internal.Failures;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The SNS envelope reader's cheap rejection and its hand-written number scan. */
class SnsEnvelopeTest {

  private static final String ATTRIBUTES =
      "\"MessageAttributes\":{\"traceparent\":{\"Type\":\"String\",\"Value\":\"v\"}}";

  @Test
  void aBodyWithoutMessageAttributesIsNotParsed() {
    long before = Failures.count();
    assertThat(SnsEnvelope.messageAttributes("{\"Type\":\"Notification\",\"TopicArn\":\"t\"}")).isNull();
    assertThat(SnsEnvelope.messageAttributes("{\"Type\":\"Notification\",\"TopicArn\":\"t\",\"x\":tru}"))
        .as("malformed, but never parsed")
        .isNull();
    assertThat(Failures.count()).isEqualTo(before);
  }

  @Test
  void aMalformedBodyWithMessageAttributesIsParsedAndReported() {
    long before = Failures.count();
    assertThat(SnsEnvelope.messageAttributes("{\"Type\":\"Notification\",\"TopicArn\":\"t\"," + ATTRIBUTES))
        .as("truncated")
        .isNull();
    assertThat(SnsEnvelope.messageAttributes("{\"Type\":\"Notification\",\"TopicArn\":\"t\",\"x\":01," + ATTRIBUTES + "}"))
        .as("a number with a leading zero")
        .isNull();
    assertThat(Failures.count()).isEqualTo(before + 2);
  }

  @Test
  void numbersAreSkippedInAnEnvelope() {
    TreeMap<String, List<String>> attributes = SnsEnvelope.messageAttributes(
        "{\"n\":[0,-0,12,-3.25,1e9,2E-3,4.5e+6],\"Type\":\"Notification\",\"TopicArn\":\"t\"," + ATTRIBUTES + "}");
    assertThat(attributes).containsOnlyKeys("traceparent");
  }

  @Test
  void numberScan() {
    for (String number : List.of("0", "-0", "7", "12", "-345", "0.5", "-3.25", "1e9", "1E9", "2e-3", "4.5e+6", "0E0")) {
      assertThat(isNumber(number)).as(number).isTrue();
    }
    for (String notNumber : List.of("", "-", "01", "-01", "1.", ".5", "1e", "1e+", "+1", "1.5.2", "1e5e5", "--1", "1-", "0x1", "e5")) {
      assertThat(isNumber(notNumber)).as(notNumber).isFalse();
    }
    assertThat(SnsEnvelope.isNumber("[12]", 1, 3)).as("a range").isTrue();
  }

  private static boolean isNumber(String text) {
    return SnsEnvelope.isNumber(text, 0, text.length());
  }
}
