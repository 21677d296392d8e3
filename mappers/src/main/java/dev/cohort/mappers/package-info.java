/**
 * Key to partition: the built-in {@link dev.cohort.api.PartitionMapper}s and the factory that
 * turns a configured {@link dev.cohort.api.MapperSpec} into one.
 *
 * <p>Everything here is pure, deterministic Java: a key maps to the same partition on every node,
 * JVM and run. Nothing uses {@link Object#hashCode()}, whose value may differ between JVMs and
 * runs; keys are first turned into their canonical bytes ({@link dev.cohort.mappers.KeyBytes}) and
 * hashed with {@link dev.cohort.api.StableHash}.
 */
package dev.cohort.mappers;
