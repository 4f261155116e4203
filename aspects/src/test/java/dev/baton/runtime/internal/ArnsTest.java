package dev.baton.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** ARN parts read without regex or split. */
class ArnsTest {

  @Test
  void lastPartIsTheQueueOrTopicName() {
    assertThat(Arns.lastPart("arn:aws:sqs:us-east-2:123456789012:orders")).isEqualTo("orders");
    assertThat(Arns.lastPart("orders")).isEqualTo("orders");
    assertThat(Arns.lastPart("arn:aws:sns:us-east-2:123456789012:")).isNull();
    assertThat(Arns.lastPart("")).isNull();
    assertThat(Arns.lastPart(null)).isNull();
  }

  @Test
  void partIsOneColonSeparatedPart() {
    String arn = "arn:aws:lambda:eu-west-1:123456789012:function:orders:prod";
    assertThat(Arns.part(arn, 0)).isEqualTo("arn");
    assertThat(Arns.part(arn, 3)).isEqualTo("eu-west-1");
    assertThat(Arns.part(arn, 4)).isEqualTo("123456789012");
    assertThat(Arns.part(arn, 7)).isEqualTo("prod");
    assertThat(Arns.part(arn, 8)).isNull();
    assertThat(Arns.part("arn:aws:lambda::123456789012:function:f", 3)).as("empty").isNull();
    assertThat(Arns.part("arn:aws:lambda", 3)).as("too short").isNull();
    assertThat(Arns.part(null, 3)).isNull();
  }

  @Test
  void lambdaFunctionNameDropsTheQualifierAndTheArn() {
    assertThat(Arns.lambdaFunctionName("my-fn")).isEqualTo("my-fn");
    assertThat(Arns.lambdaFunctionName("my-fn:prod")).isEqualTo("my-fn");
    assertThat(Arns.lambdaFunctionName("my-fn:$LATEST")).isEqualTo("my-fn");
    assertThat(Arns.lambdaFunctionName("123456789012:function:my-fn")).isEqualTo("my-fn");
    assertThat(Arns.lambdaFunctionName("123456789012:function:my-fn:7")).isEqualTo("my-fn");
    assertThat(Arns.lambdaFunctionName("arn:aws:lambda:us-east-1:123456789012:function:my-fn"))
        .isEqualTo("my-fn");
    assertThat(Arns.lambdaFunctionName("arn:aws:lambda:us-east-1:123456789012:function:my-fn:7"))
        .isEqualTo("my-fn");
    assertThat(Arns.lambdaFunctionName("arn:aws-cn:lambda:cn-north-1:123456789012:function:my-fn:prod"))
        .isEqualTo("my-fn");
    assertThat(Arns.lambdaFunctionName("function")).as("a function named function").isEqualTo("function");
    assertThat(Arns.lambdaFunctionName("function:prod")).isEqualTo("function");
    assertThat(Arns.lambdaFunctionName("arn:aws:lambda:r:1:function:function:prod")).isEqualTo("function");
    assertThat(Arns.lambdaFunctionName("")).isNull();
    assertThat(Arns.lambdaFunctionName("arn:aws:lambda:r:1:function:")).isNull();
    assertThat(Arns.lambdaFunctionName(null)).isNull();
  }

  @Test
  void theFunctionsResourceIdReplacesAnAliasWithTheVersionThatRuns() {
    String function = "arn:aws:lambda:eu-west-1:123456789012:function:orders";
    assertThat(Arns.functionResourceId(function + ":prod", "7")).isEqualTo(function + ":7");
    assertThat(Arns.functionResourceId(function + ":prod", null)).isEqualTo(function);
    assertThat(Arns.functionResourceId(function + ":7", "7")).isEqualTo(function + ":7");
    assertThat(Arns.functionResourceId(function, "$LATEST")).as("unqualified: kept").isEqualTo(function);
    assertThat(Arns.functionResourceId("not an arn", "1")).isEqualTo("not an arn");
    assertThat(Arns.functionResourceId(null, "1")).isNull();
  }

  @Test
  void theRegionOfAFunctionNamedByItsArn() {
    assertThat(Arns.lambdaFunctionRegion("arn:aws:lambda:us-west-2:123456789012:function:f")).isEqualTo("us-west-2");
    assertThat(Arns.lambdaFunctionRegion("123456789012:function:f")).isNull();
    assertThat(Arns.lambdaFunctionRegion("f")).isNull();
    assertThat(Arns.lambdaFunctionRegion(null)).isNull();
  }
}
