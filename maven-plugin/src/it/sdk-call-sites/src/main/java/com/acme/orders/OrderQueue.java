package com.acme.orders;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;
import java.util.Map;

/** Plain code that knows nothing about tracing: every way of sending to SQS. */
public class OrderQueue {

  private final SqsClient sqs;
  private final SqsAsyncClient sqsAsync;
  private final String queueUrl;

  public OrderQueue(SqsClient sqs, SqsAsyncClient sqsAsync, String queueUrl) {
    this.sqs = sqs;
    this.sqsAsync = sqsAsync;
    this.queueUrl = queueUrl;
  }

  public SendMessageResponse send(String body) {
    return sqs.sendMessage(SendMessageRequest.builder().queueUrl(queueUrl).messageBody(body).build());
  }

  public SendMessageResponse sendWithBuilder(String body) {
    return sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(body));
  }

  public SendMessageResponse sendWithAttributes(String body, Map<String, MessageAttributeValue> attributes) {
    return sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(body).messageAttributes(attributes));
  }

  public SendMessageBatchResponse sendBatch(List<String> bodies) {
    List<SendMessageBatchRequestEntry> entries =
        bodies.stream()
            .map(body -> SendMessageBatchRequestEntry.builder().id("e" + bodies.indexOf(body)).messageBody(body).build())
            .toList();
    return sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
  }

  public CompletableFuture<SendMessageResponse> sendAsync(String body) {
    return sqsAsync.sendMessage(b -> b.queueUrl(queueUrl).messageBody(body));
  }

  public ReceiveMessageResponse receive() {
    return sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).messageAttributeNames("tenant"));
  }

  public void missingQueue() {
    sqs.getQueueUrl(b -> b.queueName("no-such-queue"));
  }
}
