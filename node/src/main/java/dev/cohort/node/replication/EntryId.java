package dev.cohort.node.replication;

/**
 * Names one log entry: the epoch of the active that wrote it and its position.
 *
 * @param epoch the writer's epoch, from 1
 * @param seq the position, from 1
 */
public record EntryId(long epoch, long seq) {
  /** @throws IllegalArgumentException if epoch or seq is below 1 */
  public EntryId {
    if (epoch < 1 || seq < 1) {
      throw new IllegalArgumentException("an entry needs epoch >= 1 and seq >= 1, got (" + epoch + ", " + seq + ")");
    }
  }

  @Override
  public String toString() {
    return "(" + epoch + ", " + seq + ")";
  }
}
