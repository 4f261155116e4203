package dev.baton.maven;

import java.util.List;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>The user's build must fail: weave errors, {@code @Traced} methods not woven, or reflection in
 * woven code. Each problem is one line naming the element, its file and line, and the fix.
 */
final class WeaveException extends Exception {

  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  WeaveException(String headline, List<String> problems) {
    super(headline + System.lineSeparator() + "  " + String.join(System.lineSeparator() + "  ", problems));
    this.problems = List.copyOf(problems);
  }

  List<String> problems() {
    return problems;
  }
}
