package dev.cohort.api;

/**
 * A configuration that cannot work. The message names the full key, what is wrong with it and
 * how to fix it; a node refuses to start with it.
 */
public final class ConfigurationException extends RuntimeException {
  private final String key;

  /**
   * @param key the full HOCON path of the offending setting, e.g. {@code cohort.quorum.ledger.min-nodes}
   * @param problem what is wrong and how to fix it
   */
  public ConfigurationException(String key, String problem) {
    super(key + ": " + problem);
    this.key = key;
  }

  /** The full HOCON path of the offending setting. */
  public String key() {
    return key;
  }
}
