package dev.baton.runtime.internal.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.baton.runtime.internal.FuzzOracles;
import dev.baton.runtime.internal.FuzzValues;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Fuzz target for the SNS notification envelope reader (an SQS message body from an SNS
 * subscription without raw delivery): on any body it throws nothing into the safety net, and on
 * an envelope written as valid JSON (members in any order, any escapes, other members of any
 * shape) it finds exactly the String attributes written, the last of a name winning as in the
 * carrier, or none when the body is not a notification. Mutated envelopes (a splice of arbitrary
 * text) are checked for the first oracle only.
 */
class SnsEnvelopeFuzzTest {

  @FuzzTest(maxDuration = "10m")
  void envelope(FuzzedDataProvider data) {
    TreeMap<String, List<String>> written = Carriers.newCarrier();
    boolean mutate = data.consumeInt(0, 3) == 0;
    String body = envelope(data, written);
    if (mutate) {
      body = FuzzValues.splice(data, body);
    }
    long before = FuzzOracles.caught();

    TreeMap<String, List<String>> read = SnsEnvelope.messageAttributes(body);
    IncomingContext.fromSqsParts(Carriers.newCarrier(), null, body);

    FuzzOracles.assertNothingCaughtSince(before);
    FuzzOracles.assertRootContext();
    if (!mutate) {
      assertThat(read).as("the attributes read from %s", body).isEqualTo(written.get(NOT_AN_ENVELOPE) == null ? written : null);
    }
  }

  /** A key that no attribute name can be (it has a NUL and is long): marks "not an envelope". */
  private static final String NOT_AN_ENVELOPE = "\u0000not an envelope\u0000".repeat(3);

  /**
   * An envelope as valid JSON, its String attributes put in {@code written} (when not null): or,
   * when the body is not a notification (no {@code Type} "Notification" or no string {@code
   * TopicArn}), {@code written} marked with {@link #NOT_AN_ENVELOPE}.
   */
  static String envelope(FuzzedDataProvider data, TreeMap<String, List<String>> written) {
    TreeMap<String, List<String>> attributes = written == null ? Carriers.newCarrier() : written;
    List<String> members = new ArrayList<>();
    boolean notification = data.consumeInt(0, 7) > 0;
    boolean topicArn = data.consumeInt(0, 7) > 0;
    String typeValue = notification ? string("Notification") : anyValue(data, 0);
    if (typeValue.equals(string("Notification"))) {
      notification = true;
    }
    members.add(member("Type", typeValue));
    if (topicArn) {
      members.add(member("TopicArn", string(FuzzValues.text(data, 40))));
    }
    StringBuilder messageAttributes = new StringBuilder("{");
    int count = data.consumeInt(0, 5);
    for (int i = 0; i < count; i++) {
      if (i > 0) {
        messageAttributes.append(',');
      }
      String name = FuzzValues.name(data);
      String type = TriggerExtractionFuzzTest.pick(data, "String", "String.Array", "Number", "Binary");
      boolean stringValue = data.consumeInt(0, 7) > 0;
      String value = FuzzValues.value(data, name, false);
      List<String> parts = new ArrayList<>();
      parts.add(member("Type", string(type)));
      parts.add(member("Value", stringValue ? string(value) : nonString(data)));
      if (data.consumeBoolean()) {
        parts.add(member("x" + FuzzValues.text(data, 8), anyValue(data, 0)));
      }
      shuffle(data, parts);
      messageAttributes.append(string(name)).append(':').append(whitespace(data)).append('{');
      messageAttributes.append(String.join(",", parts)).append('}');
      if (type.equals("String") && stringValue) {
        attributes.put(name, List.of(value));
      }
    }
    messageAttributes.append('}');
    members.add(member("MessageAttributes", messageAttributes.toString()));
    int others = data.consumeInt(0, 3);
    for (int i = 0; i < others; i++) {
      String name = TriggerExtractionFuzzTest.pick(data, "Message", "MessageId", "Subject", "Signature", "UnsubscribeURL");
      members.add(member(name, anyValue(data, 0)));
    }
    shuffle(data, members);
    if (!notification || !topicArn) {
      attributes.clear();
      attributes.put(NOT_AN_ENVELOPE, List.of(""));
    }
    return whitespace(data) + "{" + String.join("," + whitespace(data), members) + "}" + whitespace(data);
  }

  private static String member(String name, String value) {
    return string(name) + ":" + value;
  }

  /** A JSON value that is not a string: what a reader must not take for an attribute's value. */
  private static String nonString(FuzzedDataProvider data) {
    return TriggerExtractionFuzzTest.pick(
        data, "true", "false", "null", "0", "-1.5e+3", "[]", "{}", "[\"a\"]", "{\"Value\":\"v\"}");
  }

  /** A JSON value of any kind, nested at most a few levels. */
  private static String anyValue(FuzzedDataProvider data, int depth) {
    switch (data.consumeInt(0, depth > 3 ? 3 : 5)) {
      case 0:
        return string(FuzzValues.text(data, 30));
      case 1:
        return TriggerExtractionFuzzTest.pick(data, "true", "false", "null", "0", "-1.5e+3", "12345678901234567890");
      case 2:
        return Long.toString(data.consumeLong());
      case 3:
        return "\"\"";
      case 4:
        {
          StringBuilder array = new StringBuilder("[");
          int count = data.consumeInt(0, 3);
          for (int i = 0; i < count; i++) {
            array.append(i > 0 ? "," : "").append(anyValue(data, depth + 1));
          }
          return array.append(']').toString();
        }
      default:
        {
          StringBuilder object = new StringBuilder("{");
          int count = data.consumeInt(0, 3);
          for (int i = 0; i < count; i++) {
            object.append(i > 0 ? "," : "").append(member(FuzzValues.text(data, 6), anyValue(data, depth + 1)));
          }
          return object.append('}').toString();
        }
    }
  }

  /** {@code value} as a JSON string, escaped as SNS or any other writer may escape it. */
  static String string(String value) {
    StringBuilder json = new StringBuilder("\"");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\') {
        json.append('\\').append(c);
      } else if (c == '/' && (i % 2 == 0)) {
        json.append("\\/");
      } else if (c < 0x20 || Character.isSurrogate(c) || c == 0x7f || (c > 0x7f && i % 3 == 0)) {
        json.append(String.format("\\u%04X", (int) c));
      } else {
        json.append(c);
      }
    }
    return json.append('"').toString();
  }

  private static String whitespace(FuzzedDataProvider data) {
    return TriggerExtractionFuzzTest.pick(data, "", "", " ", "\n\t ", "\r\n");
  }

  private static void shuffle(FuzzedDataProvider data, List<String> list) {
    for (int i = list.size() - 1; i > 0; i--) {
      java.util.Collections.swap(list, i, data.consumeInt(0, i));
    }
  }
}
