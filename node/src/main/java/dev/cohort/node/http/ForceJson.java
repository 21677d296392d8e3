package dev.cohort.node.http;

/**
 * The answer to {@code POST /partitions/{group}/{index}/force}.
 *
 * @param partition the partition, as {@code group#index}
 * @param code {@code requested} (202), {@code available} (409: nothing to force) or
 *     {@code unknown-partition} (404)
 * @param message what happens, or why nothing does, for a person
 */
public record ForceJson(String partition, String code, String message) {}
