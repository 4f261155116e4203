package dev.baton.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run of some parts ({@code run.sh --only}) keeps the other parts' sections of the results
 * files as they were: read back from the committed results, they are written out unchanged.
 */
class PreviousResultsTest {

  private static final Layout LAYOUT = Layout.fromSystemProperty();

  @Test
  void aRunOfNoPartWritesResultsJsonAsItWas() throws Exception {
    String committed = Files.readString(LAYOUT.results().resolve("results.json"));
    PreviousResults previous = PreviousResults.read(LAYOUT.results());

    Report report = new Report(measuredNothing(previous), null, 0, 0, 0, EnumSet.noneOf(Part.class), previous);

    assertThat(previous.jdks()).isNotEmpty();
    assertThat(previous.jsonSections(previous.jdks().get(0))).containsKeys("cold_start_ms", "warm_latency_ms");
    assertThat(report.json()).isEqualTo(committed);
  }

  @Test
  void aRunOfNoPartKeepsEveryMeasuredSectionOfResultsMd(@TempDir Path results) throws Exception {
    String committed = Files.readString(LAYOUT.results().resolve("RESULTS.md"));
    PreviousResults previous = PreviousResults.read(LAYOUT.results());

    String written = new Report(measuredNothing(previous), null, 0, 0, 0, EnumSet.noneOf(Part.class), previous).markdown();
    Files.writeString(results.resolve("RESULTS.md"), written);
    PreviousResults rewritten = PreviousResults.read(results);

    for (String heading : List.of("Cold start", "Caller-visible latency per warm invocation", "Targets (reported, not asserted)",
        "Warm overhead (JMH)", "Build cost", "Size")) {
      assertThat(rewritten.markdownSection(heading)).as(heading).isNotNull().isEqualTo(previous.markdownSection(heading));
    }
    assertThat(written).contains("(`run.sh --only`): the other sections");
    assertThat(committed).contains(previous.markdownSection("Cold start"));
  }

  /** The JDKs of the earlier results, each with nothing measured. */
  private static List<JdkResults> measuredNothing(PreviousResults previous) {
    return previous.jdks().stream()
        .map(jdk -> new JdkResults(new JdkUnderTest(jdk.substring("jdk".length()), Path.of("unused")), null, null, null, Map.of(), null))
        .toList();
  }
}
