package dev.baton.maven;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>The outcome of a weave that succeeded.
 *
 * @param upToDate nothing changed since the last weave, so nothing was done
 * @param summary what is woven now
 * @param duration how long it took
 * @param htmlReport the report for people
 * @param unchangedClasses classes whose woven bytes were taken from the last weave, not woven again
 */
record WeaveResult(
    boolean upToDate,
    WeaveState.Summary summary,
    Duration duration,
    Path htmlReport,
    int unchangedClasses) {

  /** The one line the goal prints. */
  String describe(Path baseDirectory) {
    String report =
        "; report: "
            + (htmlReport.startsWith(baseDirectory)
                ? baseDirectory.relativize(htmlReport)
                : htmlReport);
    String woven =
        plural(summary.tracedMethods(), "@Traced method")
            + " in "
            + plural(summary.classes(), "class")
            + " ("
            + plural(summary.callSites(), "call site")
            + ")";
    if (upToDate) {
      return "[baton] nothing changed since the last weave: " + woven + report;
    }
    return String.format(
        java.util.Locale.ROOT,
        "[baton] wove %s in %.1f s%s%s",
        woven,
        duration.toMillis() / 1000.0,
        unchangedClasses == 0
            ? ""
            : " (" + plural(unchangedClasses, "unchanged class") + " taken from the last weave)",
        report);
  }

  private static String plural(int count, String noun) {
    if (count == 1) {
      return "1 " + noun;
    }
    return count + " " + (noun.endsWith("s") ? noun + "es" : noun + "s");
  }
}
