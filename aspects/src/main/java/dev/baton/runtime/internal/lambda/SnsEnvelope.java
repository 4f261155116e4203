package dev.baton.runtime.internal.lambda;

import dev.baton.runtime.internal.Failures;
import java.util.List;
import java.util.TreeMap;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>Reads the message attributes of an SNS notification envelope, the JSON that SNS puts in an
 * SQS message body when the subscription does not use raw delivery:
 *
 * <pre>{@code
 * {"Type":"Notification","MessageId":"...","TopicArn":"arn:aws:sns:...","Message":"...",
 *  "MessageAttributes":{"traceparent":{"Type":"String","Value":"00-..."}}, ...}
 * }</pre>
 *
 * <p>A small, bounded reader rather than a JSON library, so that a function needs none: it looks
 * at bodies of at most {@value #MAX_CHARS} characters (the largest SQS message) that start with
 * {@code {} and contain {@code "MessageAttributes"} (an envelope without that member carries no
 * context), reads only the top-level {@code Type}, {@code TopicArn} and {@code MessageAttributes}
 * members, skips every other value without building it, and gives up past {@value #MAX_DEPTH}
 * levels of nesting. Anything else is not an envelope. A body that is looked at but is not valid
 * JSON is reported once.
 */
final class SnsEnvelope {

  /** The largest body looked at: 1 MiB, SQS's maximum message size. */
  static final int MAX_CHARS = 1 << 20;

  static final int MAX_DEPTH = 64;

  /**
   * The member a body must contain to be read at all: SNS writes it as is, so a body without it
   * (not an envelope, or one whose attributes would be empty) is rejected without parsing.
   */
  private static final String MESSAGE_ATTRIBUTES_MEMBER = "\"MessageAttributes\"";

  private final String json;
  private int position;

  private SnsEnvelope(String json, int start) {
    this.json = json;
    this.position = start;
  }

  /**
   * The String message attributes of the envelope in {@code body} (maybe none), or null when
   * {@code body} is not an SNS notification envelope or has no {@code MessageAttributes} member.
   */
  static TreeMap<String, List<String>> messageAttributes(String body) {
    if (body == null) {
      return null;
    }
    int start = 0;
    while (start < body.length() && Character.isWhitespace(body.charAt(start))) {
      start++;
    }
    if (start >= body.length() || body.charAt(start) != '{') {
      return null;
    }
    if (body.length() > MAX_CHARS) {
      Failures.reportInput(
          "an SQS message body too large to look for an SNS envelope in",
          body.length() + " chars, limit " + MAX_CHARS);
      return null;
    }
    if (!body.contains(MESSAGE_ATTRIBUTES_MEMBER)) {
      return null; // an envelope without message attributes carries no context: nothing to read
    }
    try {
      return new SnsEnvelope(body, start).readEnvelope();
    } catch (MalformedJson malformed) {
      Failures.reportInput("an SQS message body that looks like JSON but is not", malformed.getMessage());
      return null;
    }
  }

  private TreeMap<String, List<String>> readEnvelope() {
    String type = null;
    String topicArn = null;
    TreeMap<String, List<String>> attributes = Carriers.newCarrier();
    expect('{');
    if (!consumeIf('}')) {
      do {
        String name = readString();
        expect(':');
        switch (name) {
          case "Type":
            type = readStringOrSkip();
            break;
          case "TopicArn":
            topicArn = readStringOrSkip();
            break;
          case "MessageAttributes":
            readAttributes(attributes);
            break;
          default:
            skipValue();
        }
      } while (consumeIf(','));
      expect('}');
    }
    return "Notification".equals(type) && topicArn != null ? attributes : null;
  }

  /** {@code {"name": {"Type": "String", "Value": "..."}, ...}}; other types are left out. */
  private void readAttributes(TreeMap<String, List<String>> attributes) {
    skipWhitespace();
    if (peek() != '{') {
      skipValue();
      return;
    }
    expect('{');
    if (consumeIf('}')) {
      return;
    }
    do {
      String name = readString();
      expect(':');
      skipWhitespace();
      if (peek() != '{') {
        skipValue();
        continue;
      }
      expect('{');
      String type = null;
      String value = null;
      if (!consumeIf('}')) {
        do {
          String member = readString();
          expect(':');
          if (member.equals("Type")) {
            type = readStringOrSkip();
          } else if (member.equals("Value")) {
            value = readStringOrSkip();
          } else {
            skipValue();
          }
        } while (consumeIf(','));
        expect('}');
      }
      if ("String".equals(type)) {
        Carriers.put(attributes, name, value);
      } else if (IncomingContext.TRACEPARENT.equalsIgnoreCase(name)) {
        Failures.reportInput("a non-String SNS envelope attribute named traceparent", "type " + type);
      }
    } while (consumeIf(','));
    expect('}');
  }

  private String readStringOrSkip() {
    skipWhitespace();
    if (peek() == '"') {
      return readString();
    }
    skipValue();
    return null;
  }

  private String readString() {
    skipWhitespace();
    expect('"');
    StringBuilder text = null;
    int runStart = position;
    while (true) {
      char c = next();
      if (c == '"') {
        if (text == null) {
          return json.substring(runStart, position - 1);
        }
        return text.append(json, runStart, position - 1).toString();
      }
      if (c == '\\') {
        if (text == null) {
          text = new StringBuilder();
        }
        text.append(json, runStart, position - 1);
        char escaped = next();
        switch (escaped) {
          case '"':
          case '\\':
          case '/':
            text.append(escaped);
            break;
          case 'b':
            text.append('\b');
            break;
          case 'f':
            text.append('\f');
            break;
          case 'n':
            text.append('\n');
            break;
          case 'r':
            text.append('\r');
            break;
          case 't':
            text.append('\t');
            break;
          case 'u':
            text.append((char) hex4());
            break;
          default:
            throw malformed("bad escape \\" + escaped);
        }
        runStart = position;
      } else if (c < 0x20) {
        throw malformed("control character in a string");
      }
    }
  }

  private int hex4() {
    if (position + 4 > json.length()) {
      throw malformed("truncated \\u escape");
    }
    int value = 0;
    for (int i = 0; i < 4; i++) {
      int digit = Character.digit(json.charAt(position++), 16);
      if (digit < 0) {
        throw malformed("bad \\u escape");
      }
      value = value * 16 + digit;
    }
    return value;
  }

  /**
   * Skips one value of any kind, iteratively, without building it. Bit {@code d} of {@code
   * objects} tells whether the container open at depth {@code d} is an object (64 levels at most).
   */
  private void skipValue() {
    long objects = 0;
    int depth = 0;
    while (true) {
      skipWhitespace();
      char c = peek();
      if (c == '{' || c == '[') {
        position++;
        if (depth == MAX_DEPTH) {
          throw malformed("nested deeper than " + MAX_DEPTH);
        }
        boolean object = c == '{';
        objects = object ? objects | (1L << depth) : objects & ~(1L << depth);
        depth++;
        if (consumeIf(object ? '}' : ']')) {
          depth--;
        } else {
          if (object) {
            readString();
            expect(':');
          }
          continue; // the container's first value comes next
        }
      } else if (c == '"') {
        skipString();
      } else {
        skipLiteral();
      }
      // A value is complete: close what it completes, or move on to the next value.
      while (true) {
        if (depth == 0) {
          return;
        }
        skipWhitespace();
        char after = next();
        boolean object = (objects & (1L << (depth - 1))) != 0;
        if (after == ',') {
          if (object) {
            readString();
            expect(':');
          }
          break;
        }
        if (after == (object ? '}' : ']')) {
          depth--;
          continue;
        }
        throw malformed("expected ',' or a closing bracket");
      }
    }
  }

  private void skipString() {
    expect('"');
    while (true) {
      char c = next();
      if (c == '"') {
        return;
      }
      if (c == '\\') {
        char escaped = next();
        if (escaped == 'u') {
          hex4();
        } else if ("\"\\/bfnrt".indexOf(escaped) < 0) {
          throw malformed("bad escape \\" + escaped);
        }
      } else if (c < 0x20) {
        throw malformed("control character in a string");
      }
    }
  }

  private void skipLiteral() {
    int start = position;
    while (position < json.length() && "+-.0123456789eEtruefalsn".indexOf(json.charAt(position)) >= 0) {
      position++;
    }
    if (position == start) {
      throw malformed("unexpected " + (position < json.length() ? "'" + json.charAt(position) + "'" : "end"));
    }
    int length = position - start;
    boolean valid =
        length == 4 && (json.startsWith("true", start) || json.startsWith("null", start))
            || length == 5 && json.startsWith("false", start)
            || isNumber(json, start, position);
    if (!valid) {
      throw malformed("bad literal " + IncomingContext.shorten(json.substring(start, position)));
    }
  }

  /**
   * Whether {@code text[from, to)} is a JSON number, {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?},
   * scanned by hand so that no regex is compiled on the cold path.
   */
  static boolean isNumber(String text, int from, int to) {
    int i = from;
    if (i < to && text.charAt(i) == '-') {
      i++;
    }
    if (i >= to) {
      return false;
    }
    if (text.charAt(i) == '0') {
      i++;
    } else if (isDigit(text.charAt(i))) {
      i = digits(text, i, to);
    } else {
      return false;
    }
    if (i < to && text.charAt(i) == '.') {
      int fraction = i + 1;
      i = digits(text, fraction, to);
      if (i == fraction) {
        return false;
      }
    }
    if (i < to && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
      i++;
      if (i < to && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
        i++;
      }
      int exponent = i;
      i = digits(text, exponent, to);
      if (i == exponent) {
        return false;
      }
    }
    return i == to;
  }

  /** The end of the run of digits in {@code text} starting at {@code from} (before {@code to}). */
  private static int digits(String text, int from, int to) {
    int i = from;
    while (i < to && isDigit(text.charAt(i))) {
      i++;
    }
    return i;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private void skipWhitespace() {
    while (position < json.length()) {
      char c = json.charAt(position);
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
        return;
      }
      position++;
    }
  }

  private char peek() {
    if (position >= json.length()) {
      throw malformed("unexpected end");
    }
    return json.charAt(position);
  }

  private char next() {
    char c = peek();
    position++;
    return c;
  }

  private boolean consumeIf(char expected) {
    skipWhitespace();
    if (position < json.length() && json.charAt(position) == expected) {
      position++;
      return true;
    }
    return false;
  }

  private void expect(char expected) {
    skipWhitespace();
    if (next() != expected) {
      throw malformed("expected '" + expected + "' at " + (position - 1));
    }
  }

  private MalformedJson malformed(String problem) {
    return new MalformedJson(problem + " near char " + position);
  }

  private static final class MalformedJson extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MalformedJson(String message) {
      super(message, null, false, false);
    }
  }
}
