package dev.baton.maven;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JoinPointTest {

  @Test
  void readsAjcWeaveInfo() {
    JoinPoint joinPoint =
        JoinPoint.parse(
            "Join point 'method-execution(int com.acme.OrderService.price(int, java.lang.String))'"
                + " in Type 'com.acme.OrderService' (OrderService.java:13) advised by around advice"
                + " from 'com.acme.OrderService_BatonAspect' (OrderService_BatonAspect.aj:14)");

    assertThat(joinPoint)
        .isEqualTo(
            new JoinPoint(
                "method-execution",
                "int com.acme.OrderService.price(int, java.lang.String)",
                "com.acme.OrderService",
                "com/acme/OrderService.java",
                13,
                "com.acme.OrderService_BatonAspect"));
    assertThat(joinPoint.location()).isEqualTo("com/acme/OrderService.java:13");
  }

  @Test
  void readsCallSitesWithRuntimeTests() {
    JoinPoint joinPoint =
        JoinPoint.parse(
            "Join point 'method-call(software.amazon.awssdk.services.sqs.model.SendMessageResponse"
                + " software.amazon.awssdk.services.sqs.SqsClient.sendMessage(software.amazon.awssdk"
                + ".services.sqs.model.SendMessageRequest))' in Type 'Handler' (Handler.java:40)"
                + " advised by around advice from 'dev.baton.aspects.SqsCalls' (baton-aspects.jar!"
                + "SqsCalls.class:20(from SqsCalls.aj)) [with runtime test]");

    assertThat(joinPoint.kind()).isEqualTo("method-call");
    assertThat(joinPoint.sourceFile()).isEqualTo("Handler.java");
    assertThat(joinPoint.line()).isEqualTo(40);
    assertThat(joinPoint.aspect()).isEqualTo("dev.baton.aspects.SqsCalls");
  }

  @Test
  void ignoresOtherWeaveInfo() {
    assertThat(JoinPoint.parse("Extending interface set for type 'Foo' (Foo.java) to include 'Bar'"))
        .isNull();
  }

  @Test
  void sdkCallSitesNameTheirOperation() {
    JoinPoint send =
        JoinPoint.parse(
            "Join point 'method-call(software.amazon.awssdk.services.sqs.model.SendMessageResponse"
                + " software.amazon.awssdk.services.sqs.SqsClient.sendMessage("
                + "software.amazon.awssdk.services.sqs.model.SendMessageRequest))' in Type"
                + " 'com.acme.Orders' (Orders.java:21) advised by around advice from"
                + " 'dev.baton.aspects.SqsCalls' (SqsCalls.aj:40)");
    JoinPoint put =
        JoinPoint.parse(
            "Join point 'method-call(java.util.concurrent.CompletableFuture"
                + " software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient.putItem("
                + "software.amazon.awssdk.services.dynamodb.model.PutItemRequest))' in Type"
                + " 'com.acme.Orders' (Orders.java:30) advised by around advice from"
                + " 'dev.baton.aspects.AwsSdkCalls' (AwsSdkCalls.aj:12)");

    org.assertj.core.api.Assertions.assertThat(send.operation()).isEqualTo("Sqs.SendMessage");
    org.assertj.core.api.Assertions.assertThat(send.spanKind()).isEqualTo("PRODUCER");
    org.assertj.core.api.Assertions.assertThat(send.contextPropagation()).isEqualTo("injects");
    org.assertj.core.api.Assertions.assertThat(put.operation()).isEqualTo("DynamoDb.PutItem");
    org.assertj.core.api.Assertions.assertThat(put.spanKind()).isEqualTo("CLIENT");
    org.assertj.core.api.Assertions.assertThat(put.contextPropagation()).isEqualTo("none");
  }

  @Test
  void registrationsOfTheFunctionsOwnOpenTelemetryAreNamedByTheMethodCalled() {
    JoinPoint registration =
        JoinPoint.parse(
            "Join point 'method-call(io.opentelemetry.sdk.OpenTelemetrySdk"
                + " io.opentelemetry.sdk.OpenTelemetrySdkBuilder.buildAndRegisterGlobal())' in Type"
                + " 'com.acme.Handler' (Handler.java:12) advised by around advice from"
                + " 'dev.baton.aspects.SdkRegistration' (SdkRegistration.aj:20)");

    assertThat(registration.isRegistration()).isTrue();
    assertThat(registration.operation()).isEqualTo("OpenTelemetrySdkBuilder.buildAndRegisterGlobal");
    assertThat(registration.spanKind()).isEqualTo("none");
    assertThat(registration.contextPropagation()).contains("switches to what is registered");
  }

  @Test
  void httpClientCallSitesAreClientSpansThatInject() {
    JoinPoint send =
        JoinPoint.parse(
            "Join point 'method-call(java.util.concurrent.CompletableFuture"
                + " java.net.http.HttpClient.sendAsync(java.net.http.HttpRequest,"
                + " java.net.http.HttpResponse$BodyHandler))' in Type"
                + " 'com.acme.Payments' (Payments.java:40) advised by around advice from"
                + " 'dev.baton.aspects.JdkHttpClientCalls' (JdkHttpClientCalls.aj:25)");

    assertThat(send.isHttpClientCall()).isTrue();
    assertThat(send.operation()).isEqualTo("HttpClient.sendAsync");
    assertThat(send.spanKind()).isEqualTo("CLIENT");
    assertThat(send.contextPropagation()).isEqualTo("injects");
  }

  @Test
  void eventBridgeAndStepFunctionsCallSitesInjectTheirTraceHeader() {
    JoinPoint put =
        JoinPoint.parse(
            "Join point 'method-call(software.amazon.awssdk.services.eventbridge.model.PutEventsResponse"
                + " software.amazon.awssdk.services.eventbridge.EventBridgeClient.putEvents("
                + "software.amazon.awssdk.services.eventbridge.model.PutEventsRequest))' in Type"
                + " 'com.acme.Orders' (Orders.java:21) advised by around advice from"
                + " 'dev.baton.aspects.EventBridgeCalls' (EventBridgeCalls.aj:20)");
    JoinPoint start =
        JoinPoint.parse(
            "Join point 'method-call(java.util.concurrent.CompletableFuture"
                + " software.amazon.awssdk.services.sfn.SfnAsyncClient.startSyncExecution("
                + "java.util.function.Consumer))' in Type"
                + " 'com.acme.Orders' (Orders.java:30) advised by around advice from"
                + " 'dev.baton.aspects.StepFunctionsCalls' (StepFunctionsCalls.aj:40)");

    assertThat(put.operation()).isEqualTo("EventBridge.PutEvents");
    assertThat(put.spanKind()).isEqualTo("PRODUCER");
    assertThat(put.contextPropagation()).isEqualTo("injects");
    assertThat(start.operation()).isEqualTo("Sfn.StartSyncExecution");
    assertThat(start.spanKind()).isEqualTo("CLIENT");
    assertThat(start.contextPropagation()).isEqualTo("injects");
  }
}
