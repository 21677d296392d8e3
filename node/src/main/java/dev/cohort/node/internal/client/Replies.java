package dev.cohort.node.internal.client;

import dev.cohort.api.CohortException;
import dev.cohort.api.NodeGroup;
import dev.cohort.api.NodeName;
import dev.cohort.node.internal.partition.PartitionProtocol.Outcome;
import dev.cohort.node.internal.partition.PartitionProtocol.Reply;
import dev.cohort.node.kv.JournalCommand;
import dev.cohort.node.kv.KvCommand;
import dev.cohort.node.kv.PartitionCommand;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a partition's answer means: done, retry elsewhere, or which {@link CohortException}. Pure:
 * everything it needs is passed in.
 */
final class Replies {
  // The text a fenced node sends is CohortException.QuorumLost's own message; reading it back keeps
  // the group and counts until the reply carries them as fields.
  private static final Pattern QUORUM_LOST =
      Pattern.compile("node group (.+) has lost quorum: (\\d+) of (\\d+) needed nodes seen");

  private final Set<String> tables;
  private final int maxValueBytes;
  private final Function<NodeName, Optional<NodeGroup>> groupOfNode;

  /**
   * @param tables the declared tables, named by an unknown-table error
   * @param maxValueBytes the largest value, named by a too-large error
   * @param groupOfNode a node group of a node, for a quorum error whose text names none
   */
  Replies(Set<String> tables, int maxValueBytes, Function<NodeName, Optional<NodeGroup>> groupOfNode) {
    this.tables = Set.copyOf(tables);
    this.maxValueBytes = maxValueBytes;
    this.groupOfNode = groupOfNode;
  }

  /**
   * The meaning of {@code reply} from {@code node} to {@code request}.
   *
   * @param elapsed how long the request has run, for an error that leaves its outcome open
   */
  Verdict judge(Reply reply, Request request, NodeName node, Duration elapsed) {
    Outcome outcome = reply.outcome();
    if (outcome == Outcome.NOT_ACTIVE) {
      return new Verdict.Retry(node + " is not the active of " + request.partition() + ": " + reply.message());
    }
    if (outcome == Outcome.QUORUM_LOST) {
      return new Verdict.Fail(quorumLost(reply.message(), node));
    }
    if (outcome == Outcome.CONFLICT) {
      long expected = -1;
      if (request instanceof Request.Write write && write.command() instanceof KvCommand.CompareAndSet cas) {
        expected = cas.expectedVersion();
      } else if (request instanceof Request.Write write && write.command() instanceof JournalCommand.AppendEvents append) {
        expected = append.firstSeqNr() - 1; // the highest sequence number the writer saw
      }
      Optional<Long> current = reply.version() < 0 ? Optional.empty() : Optional.of(reply.version());
      return new Verdict.Fail(new CohortException.VersionConflict(expected, current));
    }
    if (outcome == Outcome.REJECTED) {
      return new Verdict.Fail(rejected(reply, request, node, elapsed));
    }
    if (expects(request, outcome)) {
      return new Verdict.Done(reply);
    }
    return new Verdict.Fail(new IllegalStateException(
        node + " answered " + outcome + " to " + describe(request) + "; that answer does not fit the request"));
  }

  /** Whether {@code outcome} is a success of {@code request}. */
  private static boolean expects(Request request, Outcome outcome) {
    if (request instanceof Request.Read) {
      return outcome == Outcome.FOUND || outcome == Outcome.ABSENT;
    }
    PartitionCommand command = ((Request.Write) request).command();
    boolean deletes = command instanceof KvCommand.Delete || command instanceof JournalCommand.DeleteEvents
        || command instanceof JournalCommand.DeleteSnapshots;
    return deletes ? outcome == Outcome.DELETED : outcome == Outcome.WRITTEN;
  }

  private RuntimeException rejected(Reply reply, Request request, NodeName node, Duration elapsed) {
    String code = String.valueOf(reply.code());
    if (code.equals("too-large")) {
      return new CohortException.TooLarge(valueSize(request), maxValueBytes);
    }
    if (code.equals("unknown-table")) {
      String table = request instanceof Request.Read read ? read.table()
          : ((KvCommand) ((Request.Write) request).command()).table();
      return new CohortException.UnknownTable(table, tables);
    }
    if (code.equals("request-expired")) {
      // The partition no longer remembers whether this request applied: like a timeout, the outcome
      // is open. (CohortException has no kind of its own for it yet.)
      return new CohortException.Timeout(elapsed);
    }
    return new IllegalStateException(node + " refused " + describe(request) + " (" + code + "): " + reply.message());
  }

  private static long valueSize(Request request) {
    if (request instanceof Request.Write write) {
      PartitionCommand command = write.command();
      if (command instanceof KvCommand.Put put) {
        return put.value().length;
      }
      if (command instanceof KvCommand.CompareAndSet cas) {
        return cas.value().length;
      }
      if (command instanceof JournalCommand journal) {
        return journal.payloadBytes();
      }
    }
    return 0;
  }

  /** The quorum error in {@code message}, or one naming a group of {@code node} if the text is not the usual one. */
  CohortException.QuorumLost quorumLost(String message, NodeName node) {
    Matcher matcher = QUORUM_LOST.matcher(message == null ? "" : message);
    if (matcher.find()) {
      return new CohortException.QuorumLost(NodeGroup.of(matcher.group(1)), Integer.parseInt(matcher.group(2)),
          Integer.parseInt(matcher.group(3)));
    }
    NodeGroup group = groupOfNode.apply(node).orElse(NodeGroup.of("unknown"));
    return new CohortException.QuorumLost(group, 0, 0);
  }

  private static String describe(Request request) {
    String what = request instanceof Request.Read ? "a read" : "a write";
    return what + " of " + request.subject() + " on " + request.partition();
  }
}
