package dev.cohort.node.internal;

import dev.cohort.api.CohortSettings;
import dev.cohort.api.NodeName;
import dev.cohort.node.ClientSettings;
import dev.cohort.node.EntitySettings;
import dev.cohort.node.NodeSettings;
import dev.cohort.node.ReplicationSettings;
import dev.cohort.node.TableSettings;
import dev.cohort.quorum.QuorumSettings;

/**
 * Everything a node runs with, validated once at start.
 *
 * @param self this node's name
 * @param cohort the cluster's shape
 * @param quorum node quorum per group
 * @param node the runtime's own settings
 * @param replication how partitions replicate
 * @param tables the key-value tables
 * @param client how callers' requests are served
 * @param entities how replicated entities are placed
 */
public record NodeRuntime(NodeName self, CohortSettings cohort, QuorumSettings quorum, NodeSettings node,
    ReplicationSettings replication, TableSettings tables, ClientSettings client, EntitySettings entities) {}
