package dev.baton.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReportWriterTest {

  private final WeaveReport report =
      new WeaveReport(
          List.of(
              new WeaveReport.WovenMethod(
                  "com.acme.Quotes",
                  "quote(String)",
                  "com/acme/Quotes.java",
                  7,
                  "say \"hi\" <b>\\ \n",
                  "SERVER",
                  List.of(new TracedMethodMetadata.Attribute("a\u0001", "string")),
                  "com.acme.Quotes_BatonAspect")),
          List.of(
              new JoinPoint("method-call", "void S.send()", "com.acme.Quotes", "com/acme/Quotes.java", 9, "dev.baton.aspects.SqsCalls")));

  @Test
  void jsonEscapesStrings() {
    assertThat(ReportWriter.json(report))
        .contains("\"span\": \"say \\\"hi\\\" <b>\\\\ \\n\"")
        .contains("{\"key\": \"a\\u0001\", \"type\": \"string\"}")
        .contains("\"callSites\": [\n    {\"class\": \"com.acme.Quotes\", \"file\": \"com/acme/Quotes.java\", \"line\": 9,"
            + " \"operation\": \"S.Send\", \"spanKind\": \"CLIENT\", \"context\": \"none\","
            + " \"joinPoint\": \"method-call(void S.send())\", \"aspect\": \"dev.baton.aspects.SqsCalls\"}\n  ]");
  }

  @Test
  void htmlEscapesText() {
    assertThat(ReportWriter.html(report))
        .contains("<td>say &quot;hi&quot; &lt;b&gt;\\ \n</td>")
        .contains("<td>com/acme/Quotes.java:9</td>")
        .doesNotContain("<script", "http");
  }
}
