package dev.cohort.node;

import com.typesafe.config.Config;
import dev.cohort.api.ConfigurationException;
import dev.cohort.api.SettingsReader;
import dev.cohort.node.replication.CommitPolicy;
import java.time.Duration;

/**
 * How partitions replicate, from {@code cohort.replication} (documented in the node module's
 * reference.conf).
 *
 * @param commitPolicy when an entry counts as committed
 * @param maxBatchEntries the most entries in one log write and one message to a replica
 * @param maxBatchBytes the most payload bytes in one batch
 * @param maxBatchesInFlight the most batches an active has sent that are not committed yet; what
 *     comes meanwhile waits and goes out in one batch
 * @param heartbeatInterval how often an idle active sends replicas an append
 * @param lagMaxEntries entries behind at which a replica is reported lagging
 * @param lagMaxSilence silence after which a replica is reported lagging
 * @param catchUpBatchEntries the most entries per message to a replica that is catching up
 * @param stateWriteEntries applied entries a copy keeps in memory (its reads see them) before it
 *     writes them to its state storage in one write; it also writes them at a heartbeat that finds
 *     nothing applied since the one before
 * @param compactAfterEntries applied entries after which a copy compacts its log below its durable state
 * @param logRetainEntries entries a copy keeps below its applied state, so that a replica a little
 *     behind catches up from the log rather than from a copy of the state (a snapshot)
 * @param snapshotChunkBytes the most bytes of a state copy in one message to a replica
 * @param heldReportInterval how often a copy of an unavailable partition that holds data tells the
 *     coordinator so, until the partition is revived
 */
public record ReplicationSettings(
    CommitPolicy commitPolicy,
    int maxBatchEntries,
    long maxBatchBytes,
    int maxBatchesInFlight,
    Duration heartbeatInterval,
    long lagMaxEntries,
    Duration lagMaxSilence,
    int catchUpBatchEntries,
    int stateWriteEntries,
    long compactAfterEntries,
    long logRetainEntries,
    long snapshotChunkBytes,
    Duration heldReportInterval) {

  /** Room a message needs besides its payload bytes: field names, ids, per-entry headers. */
  private static final long MESSAGE_OVERHEAD_BYTES = 64 * 1024;

  /** The Artery setting that bounds every message between nodes. */
  private static final String FRAME_SIZE = "pekko.remote.artery.advanced.maximum-frame-size";

  /** Reads {@code cohort.replication} from a fully resolved config. */
  public static ReplicationSettings fromConfig(Config config) {
    String prefix = "cohort.replication.";
    SettingsReader.refuseUnknownKeys(config, "cohort.replication");
    return new ReplicationSettings(
        policy(config, prefix + "commit-policy"),
        ConfigReads.intBetween(config, prefix + "max-batch-entries", 1, 1_000_000),
        requireFitsInFrame(config, prefix + "max-batch-bytes", ConfigReads.positiveBytes(config, prefix + "max-batch-bytes")),
        ConfigReads.intBetween(config, prefix + "max-batches-in-flight", 1, 1_000_000),
        ConfigReads.positiveDuration(config, prefix + "heartbeat-interval"),
        ConfigReads.intBetween(config, prefix + "lag-max-entries", 1, Integer.MAX_VALUE),
        ConfigReads.positiveDuration(config, prefix + "lag-max-silence"),
        ConfigReads.intBetween(config, prefix + "catch-up-batch-entries", 1, 1_000_000),
        ConfigReads.intBetween(config, prefix + "state-write-entries", 1, 1_000_000),
        ConfigReads.intBetween(config, prefix + "compact-after-entries", 1, Integer.MAX_VALUE),
        ConfigReads.intBetween(config, prefix + "log-retain-entries", 0, Integer.MAX_VALUE),
        requireFitsInFrame(config, prefix + "snapshot-chunk-bytes",
            ConfigReads.positiveBytes(config, prefix + "snapshot-chunk-bytes")),
        ConfigReads.positiveDuration(config, prefix + "held-report-interval"));
  }

  /**
   * Refuses a size that would make messages between nodes larger than Artery carries: Artery
   * drops such a message (logging it), and replication would stall on it.
   *
   * @return {@code bytes}
   * @throws ConfigurationException naming {@code key} if it does not fit
   */
  static long requireFitsInFrame(Config config, String key, long bytes) {
    long frame = config.getBytes(FRAME_SIZE);
    if (bytes + MESSAGE_OVERHEAD_BYTES > frame) {
      throw new ConfigurationException(key, bytes + " bytes do not fit, with " + MESSAGE_OVERHEAD_BYTES
          + " bytes of message overhead, in " + FRAME_SIZE + " = " + frame + " bytes; lower " + key + " or raise "
          + FRAME_SIZE);
    }
    return bytes;
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
