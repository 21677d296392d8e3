package dev.cohort.node.internal;

/**
 * A message that travels between nodes. Bound to {@link WireSerializer} (Protobuf) in {@code
 * cohort-pekko.conf}; every implementation is a record of plain values with a form in {@code
 * cohort_wire.proto}, so a new one needs a manifest and a conversion there.
 */
public interface WireMessage {}
