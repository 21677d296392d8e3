package dev.cohort.api;

/**
 * The mapper SPI: which partition of a group a key (or an object) belongs to.
 *
 * <p>A mapper must be deterministic: the same key and partition count give the same index on
 * every node, JVM and run, or requests for one key would reach different partitions. It must be
 * safe to call from many threads at once.
 *
 * <p>Callers never pass a null key or a partition count below 1, so an implementation need not
 * handle them. The built-in mappers check anyway, before they look at the key: they throw {@link
 * NullPointerException} for a null key and {@link IllegalArgumentException} for a count below 1.
 * The mappers module wraps a custom mapper in the same checks.
 *
 * <p>A custom mapper is named in HOCON by class ({@code mapper { type = custom, class = "..." }}).
 * The class must be public, concrete, top-level or static nested, implement this interface, and
 * have a public constructor that takes either a {@link com.typesafe.config.Config} (the whole
 * mapper block, {@code type} and {@code class} included) or nothing; {@link CustomMapperClass}
 * checks this.
 */
public interface PartitionMapper {
  /**
   * The partition index of {@code key}.
   *
   * @param key the key or object to place; never null
   * @param partitionCount the number of partitions of the group; at least 1
   * @return an index in {@code [0, partitionCount)}
   * @throws IllegalArgumentException if this mapper cannot map keys of this kind; the message
   *     names the key's type and what the mapper expects
   */
  int partitionOf(Object key, int partitionCount);
}
