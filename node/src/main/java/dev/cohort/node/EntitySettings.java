package dev.cohort.node;

import com.typesafe.config.Config;
import dev.cohort.api.SettingsReader;
import java.time.Duration;

/**
 * How replicated entities are placed through Cluster Sharding, from {@code cohort.entities}.
 *
 * @param allocationWait how long a shard whose partition's active has no region yet waits for one
 * @param allocationRetryInterval how often such a shard looks at the table again
 * @param rebalanceInterval how often shards not on their partition's active are moved there
 */
public record EntitySettings(Duration allocationWait, Duration allocationRetryInterval, Duration rebalanceInterval) {

  /** Reads {@code cohort.entities} from a fully resolved config. */
  public static EntitySettings fromConfig(Config config) {
    SettingsReader.refuseUnknownKeys(config, "cohort.entities");
    String prefix = "cohort.entities.";
    return new EntitySettings(
        ConfigReads.positiveDuration(config, prefix + "allocation-wait"),
        ConfigReads.positiveDuration(config, prefix + "allocation-retry-interval"),
        ConfigReads.positiveDuration(config, prefix + "rebalance-interval"));
  }
}
