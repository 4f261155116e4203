package dev.baton.runtime.internal.aws;

import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.LambdaServiceClientConfiguration;
import software.amazon.awssdk.services.lambda.model.InvokeRequest;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.SnsServiceClientConfiguration;
import software.amazon.awssdk.services.sns.model.PublishBatchRequest;
import software.amazon.awssdk.services.sns.model.PublishBatchResponse;
import software.amazon.awssdk.services.sns.model.PublishRequest;
import software.amazon.awssdk.services.sns.model.PublishResponse;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsServiceClientConfiguration;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;

/**
 * Clients that hand each call to the real SDK client and remember what it returned or threw:
 * the woven call site in a fuzz target calls one of these, so the target knows the very object
 * the SDK gave Baton's advice and can check that the user got that same object. Compiled by
 * javac only (not woven): their own calls of the real client are the SDK's, not a user's.
 */
final class RecordingClients {

  private RecordingClients() {}

  /** What the real client last returned or threw. */
  static final class Outcome {
    Object returned;
    Throwable threw;

    void reset() {
      returned = null;
      threw = null;
    }

    <T> T returned(T response) {
      returned = response;
      return response;
    }

    RuntimeException threw(RuntimeException failure) {
      threw = failure;
      return failure;
    }
  }

  static final class Sqs implements SqsClient {
    final SqsClient real;
    final Outcome outcome;

    Sqs(SqsClient real, Outcome outcome) {
      this.real = real;
      this.outcome = outcome;
    }

    @Override
    public SendMessageResponse sendMessage(SendMessageRequest request) {
      try {
        return outcome.returned(real.sendMessage(request));
      } catch (RuntimeException failure) {
        throw outcome.threw(failure);
      }
    }

    @Override
    public SendMessageBatchResponse sendMessageBatch(SendMessageBatchRequest request) {
      try {
        return outcome.returned(real.sendMessageBatch(request));
      } catch (RuntimeException failure) {
        throw outcome.threw(failure);
      }
    }

    @Override
    public SqsServiceClientConfiguration serviceClientConfiguration() {
      return real.serviceClientConfiguration();
    }

    @Override
    public String serviceName() {
      return real.serviceName();
    }

    @Override
    public void close() {
      real.close();
    }
  }

  static final class Sns implements SnsClient {
    final SnsClient real;
    final Outcome outcome;

    Sns(SnsClient real, Outcome outcome) {
      this.real = real;
      this.outcome = outcome;
    }

    @Override
    public PublishResponse publish(PublishRequest request) {
      try {
        return outcome.returned(real.publish(request));
      } catch (RuntimeException failure) {
        throw outcome.threw(failure);
      }
    }

    @Override
    public PublishBatchResponse publishBatch(PublishBatchRequest request) {
      try {
        return outcome.returned(real.publishBatch(request));
      } catch (RuntimeException failure) {
        throw outcome.threw(failure);
      }
    }

    @Override
    public SnsServiceClientConfiguration serviceClientConfiguration() {
      return real.serviceClientConfiguration();
    }

    @Override
    public String serviceName() {
      return real.serviceName();
    }

    @Override
    public void close() {
      real.close();
    }
  }

  static final class Lambda implements LambdaClient {
    final LambdaClient real;
    final Outcome outcome;

    Lambda(LambdaClient real, Outcome outcome) {
      this.real = real;
      this.outcome = outcome;
    }

    @Override
    public InvokeResponse invoke(InvokeRequest request) {
      try {
        return outcome.returned(real.invoke(request));
      } catch (RuntimeException failure) {
        throw outcome.threw(failure);
      }
    }

    @Override
    public LambdaServiceClientConfiguration serviceClientConfiguration() {
      return real.serviceClientConfiguration();
    }

    @Override
    public String serviceName() {
      return real.serviceName();
    }

    @Override
    public void close() {
      real.close();
    }
  }
}
