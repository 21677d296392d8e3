package dev.cohort.node;

import com.typesafe.config.Config;
import dev.cohort.api.ConfigurationException;
import dev.cohort.api.SettingsReader;
import java.time.Duration;

/**
 * The node runtime's own settings, read once from {@code cohort.system-name}, {@code cohort.http}
 * and {@code cohort.coordinator}. Defaults and their meaning are in the node module's reference.conf.
 *
 * @param systemName the ActorSystem name, the same on every node of a cluster
 * @param httpBindAddress where the HTTP API listens
 * @param httpPort the HTTP API port, 0 for a free one
 * @param replanDelay quiet time after a membership change before the coordinator plans
 * @param readTimeout how long a starting coordinator waits for a majority read of the table
 * @param writeTimeout how long the coordinator waits for a majority to confirm a new table
 * @param retryInterval wait before retrying a table read or write that got no majority
 * @param keptReportWait how long the coordinator waits for a node new to the table to report the
 *     copies it kept on its storage before placing it without that knowledge
 */
public record NodeSettings(
    String systemName,
    String httpBindAddress,
    int httpPort,
    Duration replanDelay,
    Duration readTimeout,
    Duration writeTimeout,
    Duration retryInterval,
    Duration keptReportWait) {

  /**
   * Reads the node settings from a fully resolved config.
   *
   * @throws ConfigurationException naming the key that is missing or malformed
   */
  public static NodeSettings fromConfig(Config config) {
    SettingsReader.refuseUnknownKeys(config, "cohort.http");
    SettingsReader.refuseUnknownKeys(config, "cohort.coordinator");
    return new NodeSettings(
        ConfigReads.read(config, "cohort.system-name", config::getString),
        ConfigReads.read(config, "cohort.http.bind-address", config::getString),
        port(config, "cohort.http.port"),
        ConfigReads.positiveDuration(config, "cohort.coordinator.replan-delay"),
        ConfigReads.positiveDuration(config, "cohort.coordinator.read-timeout"),
        ConfigReads.positiveDuration(config, "cohort.coordinator.write-timeout"),
        ConfigReads.positiveDuration(config, "cohort.coordinator.retry-interval"),
        ConfigReads.positiveDuration(config, "cohort.coordinator.kept-report-wait"));
  }

  private static int port(Config config, String key) {
    int port = ConfigReads.read(config, key, config::getInt);
    if (port < 0 || port > 65535) {
      throw new ConfigurationException(key, "port " + port + " is outside 0-65535 (0 picks a free port)");
    }
    return port;
  }
}
