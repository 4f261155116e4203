package dev.baton.runtime.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What {@code url.full}, {@code server.address} and {@code server.port} record of a URL. */
class HttpUrlsTest {

  @Test
  void aPlainUrlIsKeptAsItIs() {
    assertThat(HttpUrls.full("https://api.example.com:8443/v1/pay?amount=12%2C50#top"))
        .isEqualTo("https://api.example.com:8443/v1/pay?amount=12%2C50#top");
    assertThat(HttpUrls.full("http://example.com")).isEqualTo("http://example.com");
  }

  @Test
  void userInfoIsLeftOut() {
    assertThat(HttpUrls.full("https://alice:s3cret@api.example.com/v1")).isEqualTo("https://api.example.com/v1");
    assertThat(HttpUrls.full("https://alice@api.example.com")).isEqualTo("https://api.example.com");
    assertThat(HttpUrls.full("https://a:b@c@[::1]:8080?x=1")).isEqualTo("https://[::1]:8080?x=1");
    // An @ in the path or query is not user info.
    assertThat(HttpUrls.full("https://api.example.com/users/bob@example.com?to=x@y"))
        .isEqualTo("https://api.example.com/users/bob@example.com?to=x@y");
  }

  @Test
  void signatureParametersAreRedacted() {
    assertThat(
            HttpUrls.full(
                "https://bucket.s3.amazonaws.com/key?AWSAccessKeyId=AKIA&Signature=abc%2B&Expires=1&sig=s&X-Goog-Signature=g&signature=kept#frag"))
        .isEqualTo(
            "https://bucket.s3.amazonaws.com/key?AWSAccessKeyId=REDACTED&Signature=REDACTED&Expires=1&sig=REDACTED&X-Goog-Signature=REDACTED&signature=kept#frag");
    assertThat(HttpUrls.full("https://h/?sig")).isEqualTo("https://h/?sig");
    assertThat(HttpUrls.full("https://h/?sig=&a=1&")).isEqualTo("https://h/?sig=REDACTED&a=1&");
    assertThat(HttpUrls.full("https://h/#?sig=1")).isEqualTo("https://h/#?sig=1");
  }

  @Test
  void addressAndPort() {
    assertThat(HttpUrls.address("[::1]")).isEqualTo("::1");
    assertThat(HttpUrls.address("api.example.com")).isEqualTo("api.example.com");
    assertThat(HttpUrls.port("https", -1)).isEqualTo(443);
    assertThat(HttpUrls.port("HTTP", -1)).isEqualTo(80);
    assertThat(HttpUrls.port("https", 8443)).isEqualTo(8443);
    assertThat(HttpUrls.port("ftp", -1)).isEqualTo(-1);
  }
}
