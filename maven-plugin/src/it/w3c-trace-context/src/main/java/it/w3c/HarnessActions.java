package it.w3c;

import java.util.ArrayList;
import java.util.List;

/**
 * The W3C harness's request body, {@code [{"url": "...", "arguments": [...]}, ...]}: each
 * action's URL and its arguments as raw JSON, to be sent on as they are. A small scanner rather
 * than a JSON library: the function depends on nothing it does not need.
 */
final class HarnessActions {

  record Action(String url, String arguments) {}

  private final String json;
  private int position;

  private HarnessActions(String json) {
    this.json = json;
  }

  /** The actions in {@code body}; none for an empty or non-array body. */
  static List<Action> parse(String body) {
    List<Action> actions = new ArrayList<>();
    if (body == null) {
      return actions;
    }
    HarnessActions scanner = new HarnessActions(body);
    scanner.skipWhitespace();
    if (!scanner.take('[')) {
      return actions;
    }
    while (true) {
      scanner.skipWhitespace();
      if (scanner.take(']') || scanner.position >= body.length()) {
        return actions;
      }
      scanner.take(',');
      scanner.skipWhitespace();
      int start = scanner.position;
      scanner.skipValue();
      actions.add(action(body.substring(start, scanner.position)));
    }
  }

  private static Action action(String object) {
    HarnessActions scanner = new HarnessActions(object);
    scanner.skipWhitespace();
    scanner.take('{');
    String url = null;
    String arguments = "[]";
    while (true) {
      scanner.skipWhitespace();
      if (scanner.take('}') || scanner.position >= object.length()) {
        return new Action(url, arguments);
      }
      scanner.take(',');
      scanner.skipWhitespace();
      String key = scanner.string();
      scanner.skipWhitespace();
      scanner.take(':');
      scanner.skipWhitespace();
      int start = scanner.position;
      if (key.equals("url")) {
        url = scanner.string();
      } else {
        scanner.skipValue();
        if (key.equals("arguments")) {
          arguments = object.substring(start, scanner.position);
        }
      }
    }
  }

  private String string() {
    StringBuilder value = new StringBuilder();
    take('"');
    while (position < json.length()) {
      char c = json.charAt(position++);
      if (c == '"') {
        break;
      }
      if (c == '\\' && position < json.length()) {
        char escaped = json.charAt(position++);
        switch (escaped) {
          case 'n' -> value.append('\n');
          case 't' -> value.append('\t');
          case 'r' -> value.append('\r');
          case 'u' -> {
            value.append((char) Integer.parseInt(json.substring(position, position + 4), 16));
            position += 4;
          }
          default -> value.append(escaped);
        }
      } else {
        value.append(c);
      }
    }
    return value.toString();
  }

  private void skipValue() {
    char c = json.charAt(position);
    if (c == '"') {
      string();
    } else if (c == '[' || c == '{') {
      int depth = 0;
      do {
        char next = json.charAt(position);
        if (next == '"') {
          string();
          continue;
        }
        if (next == '[' || next == '{') {
          depth++;
        } else if (next == ']' || next == '}') {
          depth--;
        }
        position++;
      } while (depth > 0 && position < json.length());
    } else {
      while (position < json.length() && ",]}".indexOf(json.charAt(position)) < 0) {
        position++;
      }
    }
  }

  private boolean take(char c) {
    if (position < json.length() && json.charAt(position) == c) {
      position++;
      return true;
    }
    return false;
  }

  private void skipWhitespace() {
    while (position < json.length() && Character.isWhitespace(json.charAt(position))) {
      position++;
    }
  }
}
