package dev.cohort.node;

import com.typesafe.config.Config;
import dev.cohort.api.ConfigurationException;
import dev.cohort.node.replication.CommitPolicy;
import java.time.Duration;

/**
 * How partitions replicate, from {@code cohort.replication} (documented in the node module's
 * reference.conf).
 *
 * @param commitPolicy when an entry counts as committed
 * @param maxBatchEntries the most entries in one log write and one message to a replica
 * @param maxBatchBytes the most payload bytes in one batch
 * @param heartbeatInterval how often an idle active sends replicas an append
 * @param lagMaxEntries entries behind at which a replica is reported lagging
 * @param lagMaxSilence silence after which a replica is reported lagging
 * @param catchUpBatchEntries the most entries per message to a replica that is catching up
 */
public record ReplicationSettings(
    CommitPolicy commitPolicy,
    int maxBatchEntries,
    long maxBatchBytes,
    Duration heartbeatInterval,
    long lagMaxEntries,
    Duration lagMaxSilence,
    int catchUpBatchEntries) {

  /** Reads {@code cohort.replication} from a fully resolved config. */
  public static ReplicationSettings fromConfig(Config config) {
    String prefix = "cohort.replication.";
    return new ReplicationSettings(
        policy(config, prefix + "commit-policy"),
        ConfigReads.intBetween(config, prefix + "max-batch-entries", 1, 1_000_000),
        ConfigReads.positiveBytes(config, prefix + "max-batch-bytes"),
        ConfigReads.positiveDuration(config, prefix + "heartbeat-interval"),
        ConfigReads.intBetween(config, prefix + "lag-max-entries", 1, Integer.MAX_VALUE),
        ConfigReads.positiveDuration(config, prefix + "lag-max-silence"),
        ConfigReads.intBetween(config, prefix + "catch-up-batch-entries", 1, 1_000_000));
  }

  private static CommitPolicy policy(Config config, String key) {
    String value = ConfigReads.read(config, key, config::getString);
    return switch (value) {
      case "all-in-sync" -> CommitPolicy.ALL_IN_SYNC;
      case "majority-of-placement" -> CommitPolicy.MAJORITY_OF_PLACEMENT;
      default -> throw new ConfigurationException(
          key, "unknown commit policy '" + value + "'; use all-in-sync or majority-of-placement");
    };
  }
}
