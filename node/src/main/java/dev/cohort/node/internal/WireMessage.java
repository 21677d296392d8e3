package dev.cohort.node.internal;

/**
 * A message that travels between nodes. Bound to Jackson CBOR in {@code cohort-pekko.conf} until
 * Cohort's own Protobuf formats land; every implementation is a record of plain values.
 */
public interface WireMessage {}
