package dev.baton.runtime.internal.http;

import java.util.Locale;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>What an outgoing request's URL becomes in {@code url.full}, {@code server.address} and
 * {@code server.port}. {@code url.full} never carries credentials: the user info of the
 * authority ({@code user:password@}) is left out, and the values of the query parameters that
 * the HTTP semantic conventions name as carrying signatures ({@code AWSAccessKeyId}, {@code
 * Signature}, {@code sig}, {@code X-Goog-Signature}) are replaced by {@code REDACTED}. The URL is
 * otherwise kept as the client was given it, not re-encoded.
 */
public final class HttpUrls {

  static final String REDACTED = "REDACTED";

  private static final String[] SENSITIVE_QUERY_PARAMETERS = {
    "AWSAccessKeyId", "Signature", "sig", "X-Goog-Signature"
  };

  private HttpUrls() {}

  /** {@code url} as {@code url.full} records it. Never throws; a null URL is null. */
  public static String full(String url) {
    if (url == null) {
      return null;
    }
    if (url.indexOf('@') < 0
        && url.indexOf("sig") < 0
        && url.indexOf("Signature") < 0
        && url.indexOf("AWSAccessKeyId") < 0) {
      return url; // nothing to leave out or redact: most URLs
    }
    int schemeEnd = url.indexOf("://");
    int authorityStart = schemeEnd < 0 ? 0 : schemeEnd + 3;
    int authorityEnd = indexOfAny(url, "/?#", authorityStart);
    StringBuilder full = new StringBuilder(url.length());
    int at = url.lastIndexOf('@', authorityEnd - 1);
    if (schemeEnd >= 0 && at >= authorityStart) {
      full.append(url, 0, authorityStart).append(url, at + 1, authorityEnd);
    } else {
      full.append(url, 0, authorityEnd);
    }
    int query = url.indexOf('?', authorityEnd);
    int fragment = url.indexOf('#', authorityEnd);
    if (query < 0 || (fragment >= 0 && fragment < query)) {
      full.append(url, authorityEnd, url.length());
      return full.toString();
    }
    full.append(url, authorityEnd, query + 1);
    int queryEnd = fragment < 0 ? url.length() : fragment;
    int start = query + 1;
    while (start <= queryEnd) {
      int end = url.indexOf('&', start);
      if (end < 0 || end > queryEnd) {
        end = queryEnd;
      }
      int equals = url.indexOf('=', start);
      if (equals >= 0 && equals < end && isSensitive(url, start, equals)) {
        full.append(url, start, equals + 1).append(REDACTED);
      } else {
        full.append(url, start, end);
      }
      if (end < queryEnd) {
        full.append('&');
      }
      start = end + 1;
    }
    full.append(url, queryEnd, url.length());
    return full.toString();
  }

  /** The host as {@code server.address} records it: an IPv6 literal without its brackets. */
  public static String address(String host) {
    if (host != null && host.length() > 1 && host.charAt(0) == '[' && host.endsWith("]")) {
      return host.substring(1, host.length() - 1);
    }
    return host;
  }

  /** {@code port}, or the scheme's default port when {@code port} is unknown (negative), or -1. */
  public static int port(String scheme, int port) {
    if (port > 0) {
      return port;
    }
    if (scheme == null) {
      return -1;
    }
    switch (scheme.toLowerCase(Locale.ROOT)) {
      case "http":
      case "ws":
        return 80;
      case "https":
      case "wss":
        return 443;
      default:
        return -1;
    }
  }

  private static boolean isSensitive(String url, int start, int end) {
    for (String name : SENSITIVE_QUERY_PARAMETERS) {
      if (name.length() == end - start && url.regionMatches(start, name, 0, name.length())) {
        return true;
      }
    }
    return false;
  }

  private static int indexOfAny(String text, String characters, int from) {
    for (int i = from; i < text.length(); i++) {
      if (characters.indexOf(text.charAt(i)) >= 0) {
        return i;
      }
    }
    return text.length();
  }
}
