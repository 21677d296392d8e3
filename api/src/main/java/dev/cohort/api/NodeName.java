package dev.cohort.api;

import java.util.regex.Pattern;

/**
 * The unique name of a Cohort node. Names are letters, digits, '.', '_' and '-', starting with a
 * letter or digit, so that they are safe in URLs, file names and Pekko role strings.
 *
 * @param value the name as configured
 */
public record NodeName(String value) implements Comparable<NodeName> {
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  /** @throws IllegalArgumentException if {@code value} is not a valid node name */
  public NodeName {
    if (value == null || !VALID.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "invalid node name '" + value + "': use letters, digits, '.', '_' and '-', starting with a letter or digit");
    }
  }

  /** A node name; same as the constructor. */
  public static NodeName of(String value) {
    return new NodeName(value);
  }

  /**
   * The node's location code: a stable 64-bit hash of its name, the same on every JVM, so that a
   * node can be found quickly when requests are dispatched.
   */
  public long locationCode() {
    return StableHash.of(value);
  }

  @Override
  public int compareTo(NodeName other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
