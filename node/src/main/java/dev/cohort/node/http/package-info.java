/**
 * A node's HTTP/JSON API as seen by its clients: the JSON documents every node serves
 * ({@link dev.cohort.node.http.HealthJson} at {@code GET /health}, {@link
 * dev.cohort.node.http.ClusterJson} at {@code GET /cluster}, {@link dev.cohort.node.http.TableJson}
 * at {@code GET /partitions}) and {@link dev.cohort.node.http.NodeHttpClient}, which reads them.
 *
 * <p>The field names are the wire format the README documents; the records are the single
 * definition the server, the {@code cohort} command, the testkit and the benchmarks share.
 */
package dev.cohort.node.http;
