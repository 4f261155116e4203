package dev.baton.runtime.internal.aws;

import dev.baton.runtime.internal.Failures;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import software.amazon.awssdk.awscore.AwsServiceClientConfiguration;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.SdkServiceClientConfiguration;
import software.amazon.awssdk.regions.Region;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>The region of an SDK client, read once per client: {@code serviceClientConfiguration()}
 * builds a new object on every call, and clients live as long as the function. Clients are held
 * weakly.
 */
final class ClientRegions {

  private static final String NONE = "";
  private static final Map<Object, String> REGIONS = Collections.synchronizedMap(new WeakHashMap<>());

  private ClientRegions() {}

  /** {@code us-east-1}, or null when the client has none (or is not an SDK client). */
  static String of(Object client) {
    if (!(client instanceof SdkClient sdkClient)) {
      return null;
    }
    String region = REGIONS.get(client);
    if (region == null) {
      region = read(sdkClient);
      REGIONS.put(client, region);
    }
    return region == NONE ? null : region;
  }

  private static String read(SdkClient client) {
    try {
      SdkServiceClientConfiguration configuration = client.serviceClientConfiguration();
      if (configuration instanceof AwsServiceClientConfiguration aws) {
        Region region = aws.region();
        if (region != null) {
          return region.id();
        }
      }
    } catch (UnsupportedOperationException notImplemented) {
      // A client the user implemented without this default method's override: no region.
    } catch (Throwable failure) {
      Failures.report("reading an AWS SDK client's region", failure);
    }
    return NONE;
  }
}
