package dev.cohort.node;

import com.typesafe.config.Config;
import dev.cohort.api.SettingsReader;
import java.time.Duration;

/**
 * How this node serves its callers' requests, from {@code cohort.client}.
 *
 * @param requestTimeout how long a caller waits, retries included
 * @param maxInFlight the most requests in flight on this node before callers get "overloaded"
 * @param retryBackoff the wait before retrying at a new active
 * @param attemptTimeout how long one attempt may take before it is retried
 * @param timeoutCheckInterval how often attempts past their timeout are failed (and so retried)
 */
public record ClientSettings(Duration requestTimeout, int maxInFlight, Duration retryBackoff, Duration attemptTimeout,
    Duration timeoutCheckInterval) {

  /** Reads {@code cohort.client} from a fully resolved config. */
  public static ClientSettings fromConfig(Config config) {
    SettingsReader.refuseUnknownKeys(config, "cohort.client");
    String prefix = "cohort.client.";
    return new ClientSettings(
        ConfigReads.positiveDuration(config, prefix + "request-timeout"),
        ConfigReads.intBetween(config, prefix + "max-in-flight", 1, Integer.MAX_VALUE),
        ConfigReads.positiveDuration(config, prefix + "retry-backoff"),
        ConfigReads.positiveDuration(config, prefix + "attempt-timeout"),
        ConfigReads.positiveDuration(config, prefix + "timeout-check-interval"));
  }
}
