package dev.cohort.examples.ledger;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * The ledger's settings, from {@code ledger} in the node's config ({@code ledger.conf}).
 *
 * @param partitionGroup the partition group the accounts and transfers live on
 * @param askTimeout how long a call to an entity waits for its answer
 * @param retryBackoff how long a transfer waits before repeating a step whose answer did not come
 */
public record LedgerSettings(String partitionGroup, Duration askTimeout, Duration retryBackoff) {
  /** Reads {@code ledger} from {@code config}. */
  public static LedgerSettings fromConfig(Config config) {
    Config ledger = config.getConfig("ledger");
    return new LedgerSettings(ledger.getString("partition-group"), ledger.getDuration("ask-timeout"),
        ledger.getDuration("retry-backoff"));
  }
}
