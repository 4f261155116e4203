package dev.baton.runtime.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>The value of a {@code @SpanAttribute(hash = true)}: HMAC-SHA-256 of the value's UTF-8 bytes,
 * keyed with {@value #ENV} (system property {@value #PROPERTY}), as 64 lowercase hex characters.
 * Equal values give equal hashes, different values different ones, and without the key no
 * dictionary of likely values (e-mail addresses, say) maps a hash back. Without a key (unset or
 * blank) each process draws a random key of its own, reported once: hashes then correlate within
 * one execution environment only. Loaded with the first hashed attribute of a recording span; one
 * {@link Mac} per thread, as invocations may run at once.
 */
final class AttributeHashes {

  static final String ENV = "BATON_ATTRIBUTE_HASH_KEY";
  static final String PROPERTY = "baton.attribute.hash.key";
  private static final String ALGORITHM = "HmacSHA256";
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private static final SecretKeySpec KEY = key();

  private static final ThreadLocal<Mac> MACS = new ThreadLocal<>();

  private AttributeHashes() {}

  /** The keyed hash of {@code value}; null for null. */
  static String hash(String value) throws GeneralSecurityException {
    if (value == null) {
      return null;
    }
    Mac mac = MACS.get();
    if (mac == null) {
      mac = Mac.getInstance(ALGORITHM);
      mac.init(KEY);
      MACS.set(mac);
    }
    byte[] digest = mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
    char[] hex = new char[digest.length * 2];
    for (int i = 0; i < digest.length; i++) {
      hex[2 * i] = HEX[(digest[i] >> 4) & 0xf];
      hex[2 * i + 1] = HEX[digest[i] & 0xf];
    }
    return new String(hex);
  }

  private static SecretKeySpec key() {
    String configured = System.getProperty(PROPERTY);
    if (configured == null || configured.isBlank()) {
      configured = System.getenv(ENV);
    }
    if (configured != null && !configured.isBlank()) {
      return new SecretKeySpec(configured.getBytes(StandardCharsets.UTF_8), ALGORITHM);
    }
    Failures.reportInput(
        "hashed attributes without " + ENV,
        "no key is set, so this process hashes with a random key of its own and hashes correlate"
            + " within it only; set " + ENV + " (a secret, the same for every function whose"
            + " spans you correlate) to correlate across environments");
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    return new SecretKeySpec(random, ALGORITHM);
  }
}
