package dev.baton.runtime.internal.aws;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * A stand-in for AWS, for the injection fuzz targets: no real service can take hundreds of
 * thousands of requests a minute on a loopback-only machine, so the real SDK clients ({@code
 * SqsClient}, {@code SnsClient}, {@code LambdaClient}) send to this {@link SdkHttpClient}, which
 * records each request (line, headers and body, as the SDK marshalled them) and answers what the
 * service would: a valid success response of the operation's protocol, or a service error.
 */
final class RecordingHttpClient implements SdkHttpClient {

  /** What the stand-in answers to the next request. */
  enum Answer {
    SUCCESS,
    SERVICE_ERROR
  }

  Answer answer = Answer.SUCCESS;
  SdkHttpRequest request;
  byte[] body;

  @Override
  public ExecutableHttpRequest prepareRequest(HttpExecuteRequest execute) {
    return new ExecutableHttpRequest() {
      @Override
      public HttpExecuteResponse call() throws IOException {
        request = execute.httpRequest();
        body = new byte[0];
        if (execute.contentStreamProvider().isPresent()) {
          try (InputStream in = execute.contentStreamProvider().get().newStream()) {
            body = in.readAllBytes();
          }
        }
        return respond(request);
      }

      @Override
      public void abort() {}
    };
  }

  private HttpExecuteResponse respond(SdkHttpRequest sent) {
    String target = sent.firstMatchingHeader("X-Amz-Target").orElse("");
    String host = sent.host();
    boolean error = answer == Answer.SERVICE_ERROR;
    int status = error ? 400 : 200;
    SdkHttpResponse.Builder response = SdkHttpResponse.builder().statusCode(status);
    String content;
    if (target.startsWith("AmazonSQS.")) {
      response.putHeader("Content-Type", "application/x-amz-json-1.0");
      content =
          error
              ? "{\"__type\":\"com.amazonaws.sqs#InvalidParameterValue\",\"message\":\"refused by the stand-in\"}"
              : target.endsWith("SendMessageBatch")
                  ? "{\"Successful\":[],\"Failed\":[]}"
                  : "{\"MessageId\":\"5fea7756-0ea4-451a-a703-a558b933e274\",\"MD5OfMessageBody\":\"\"}";
    } else if (host.startsWith("sns.")) {
      response.putHeader("Content-Type", "text/xml");
      String action = new String(body, StandardCharsets.UTF_8).startsWith("Action=PublishBatch") ? "PublishBatch" : "Publish";
      content =
          error
              ? "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidParameter</Code>"
                  + "<Message>refused by the stand-in</Message></Error><RequestId>r</RequestId></ErrorResponse>"
              : "<" + action + "Response xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><" + action
                  + "Result>" + (action.equals("Publish") ? "<MessageId>m-1</MessageId>" : "<Successful/><Failed/>")
                  + "</" + action + "Result><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></"
                  + action + "Response>";
    } else {
      response.putHeader("Content-Type", "application/json");
      if (error) {
        response.putHeader("X-Amzn-ErrorType", "InvalidParameterValueException");
        content = "{\"Type\":\"User\",\"message\":\"refused by the stand-in\"}";
      } else {
        response.putHeader("X-Amz-Executed-Version", "$LATEST");
        content = "{\"ok\":true}";
      }
    }
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    response.putHeader("Content-Length", Integer.toString(bytes.length));
    response.putHeader("x-amzn-RequestId", "r");
    return HttpExecuteResponse.builder()
        .response(response.build())
        .responseBody(AbortableInputStream.create(new ByteArrayInputStream(bytes)))
        .build();
  }

  @Override
  public void close() {}
}
