package dev.baton.maven;

import java.util.List;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>The user's build must fail: ajc's errors, {@code @Traced} methods that were not woven, or
 * reflection or references to AspectJ in woven code. The message is a headline that says what
 * went wrong and what to do, followed by each problem on a line of its own, indented by two
 * spaces: an ajc error with its file and line, a method with its file and line, or a class with
 * the forbidden reference (and its likely cause).
 */
final class WeaveException extends Exception {

  private static final long serialVersionUID = 1L;

  private final String headline;
  private final List<String> problems;

  WeaveException(String headline, List<String> problems) {
    super(headline + System.lineSeparator() + "  " + String.join(System.lineSeparator() + "  ", problems));
    this.headline = headline;
    this.problems = List.copyOf(problems);
  }

  String headline() {
    return headline;
  }

  List<String> problems() {
    return problems;
  }
}
