package dev.baton.maven;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>One join point ajc wove, read from its {@code -showWeaveInfo} message:
 *
 * <pre>
 * Join point 'method-execution(int com.acme.OrderService.price(int, java.lang.String))' in Type
 * 'com.acme.OrderService' (OrderService.java:13) advised by around advice from
 * 'com.acme.OrderService_BatonAspect' (OrderService_BatonAspect.aj:14)
 * </pre>
 *
 * @param kind {@code method-execution}, {@code method-call}, ...
 * @param signature the join point's signature, {@code int com.acme.OrderService.price(int,
 *     java.lang.String)}
 * @param type the woven type, {@code com.acme.OrderService}
 * @param sourceFile the woven type's source with its package directory, {@code
 *     com/acme/OrderService.java}
 * @param line the join point's line in it
 * @param aspect the advising aspect, {@code com.acme.OrderService_BatonAspect}
 */
record JoinPoint(
    String kind, String signature, String type, String sourceFile, int line, String aspect) {

  private static final Pattern WEAVE_INFO =
      Pattern.compile(
          "Join point '(?<kind>[\\w-]+)\\((?<signature>.*)\\)' in Type '(?<type>[^']+)'"
              + " \\((?<file>[^:)]*):?(?<line>\\d*)\\) advised by .*? from '(?<aspect>[^']+)'.*",
          Pattern.DOTALL);

  /** The join point in a weave-info message, or {@code null} for other weave-info messages. */
  static JoinPoint parse(String message) {
    Matcher matcher = WEAVE_INFO.matcher(message);
    if (!matcher.matches()) {
      return null;
    }
    String type = matcher.group("type");
    int lastDot = type.lastIndexOf('.');
    String file = matcher.group("file");
    String sourceFile =
        file.isEmpty() || lastDot < 0
            ? file
            : type.substring(0, lastDot).replace('.', '/') + "/" + file;
    String line = matcher.group("line");
    return new JoinPoint(
        matcher.group("kind"),
        matcher.group("signature"),
        type,
        sourceFile,
        line.isEmpty() ? 0 : Integer.parseInt(line),
        matcher.group("aspect"));
  }

  /** {@code com/acme/OrderService.java:13}. */
  String location() {
    return line > 0 ? sourceFile + ":" + line : sourceFile;
  }
}
