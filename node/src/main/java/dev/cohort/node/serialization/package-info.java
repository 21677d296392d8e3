/**
 * Serializers an application on Cohort binds its own messages and events to: {@link
 * dev.cohort.node.serialization.KryoSerializer} ({@code cohort-kryo}), configured by {@link
 * dev.cohort.node.serialization.KryoSettings} from {@code cohort.kryo}. Cohort's own messages between
 * nodes use {@code dev.cohort.node.internal.WireSerializer}, never these.
 */
package dev.cohort.node.serialization;
