package com.acme.payments;

import java.io.IOException;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.async.methods.SimpleRequestProducer;
import org.apache.hc.client5.http.async.methods.SimpleResponseConsumer;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.io.entity.EntityUtils;

/** Plain code that knows nothing about tracing: a payments API called with three HTTP clients. */
public class PaymentsApi {

  private final String baseUrl;
  private final CloseableHttpClient apache;
  private final CloseableHttpAsyncClient apacheAsync;
  private final OkHttpClient okHttp;

  public PaymentsApi(String baseUrl, CloseableHttpClient apache, CloseableHttpAsyncClient apacheAsync, OkHttpClient okHttp) {
    this.baseUrl = baseUrl;
    this.apache = apache;
    this.apacheAsync = apacheAsync;
    this.okHttp = okHttp;
  }

  public int statusWithApache(String path) throws IOException {
    return apache.execute(new HttpGet(baseUrl + path), response -> response.getCode());
  }

  public String chargeWithApache(String path) throws IOException {
    URI uri = URI.create(baseUrl);
    try (ClassicHttpResponse response =
        apache.executeOpen(new HttpHost(uri.getScheme(), uri.getHost(), uri.getPort()), new HttpPost(path), null)) {
      return EntityUtils.toString(response.getEntity());
    } catch (org.apache.hc.core5.http.ParseException e) {
      throw new IOException(e);
    }
  }

  public Future<SimpleHttpResponse> statusWithApacheAsync(String path) {
    return apacheAsync.execute(SimpleRequestBuilder.get(baseUrl + path).build(), null);
  }

  public Future<SimpleHttpResponse> statusWithApacheProducer(String path) {
    return apacheAsync.execute(
        SimpleRequestProducer.create(SimpleRequestBuilder.get(baseUrl + path).build()), SimpleResponseConsumer.create(), null);
  }

  public int statusWithOkHttp(String path) throws IOException {
    try (Response response = okHttp.newCall(new Request.Builder().url(baseUrl + path).build()).execute()) {
      return response.code();
    }
  }

  public CompletableFuture<Integer> statusWithOkHttpAsync(String path) {
    CompletableFuture<Integer> status = new CompletableFuture<>();
    okHttp.newCall(new Request.Builder().url(baseUrl + path).build()).enqueue(new okhttp3.Callback() {
      @Override
      public void onFailure(okhttp3.Call call, IOException e) {
        status.completeExceptionally(e);
      }

      @Override
      public void onResponse(okhttp3.Call call, Response response) {
        response.close();
        status.complete(response.code());
      }
    });
    return status;
  }
}
