package dev.cohort.node.internal.partition;

import dev.cohort.node.internal.partition.PartitionProtocol.Answer;
import dev.cohort.node.internal.partition.PartitionProtocol.Answers;
import dev.cohort.node.internal.partition.PartitionProtocol.Reply;
import dev.cohort.node.internal.partition.PartitionProtocol.ReplyTo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Answers gathered per calling node, so that what one commit or one read round answers reaches each
 * caller as one {@link Answers} message instead of one message per request. A caller's batch is
 * sent early when the values it carries would pass {@code maxBytes}, so that it fits in a frame.
 */
final class Answering {
  /** What an answer costs besides its value, generously: its fields in Protobuf. */
  private static final int ANSWER_OVERHEAD_BYTES = 128;

  private final long maxBytes;
  private final BiConsumer<ActorRef<Answers>, Answers> send;
  private final Map<ActorRef<Answers>, Batch> batches = new LinkedHashMap<>();

  private static final class Batch {
    final List<Answer> answers = new ArrayList<>();
    long bytes;
  }

  /**
   * @param maxBytes the most value bytes one {@link Answers} carries (one answer larger than that goes alone)
   * @param send how a batch is sent to its caller
   */
  Answering(long maxBytes, BiConsumer<ActorRef<Answers>, Answers> send) {
    this.maxBytes = maxBytes;
    this.send = send;
  }

  /** Adds the answer {@code reply} for {@code to}. */
  void add(ReplyTo to, Reply reply) {
    Batch batch = batches.computeIfAbsent(to.caller(), caller -> new Batch());
    long size = ANSWER_OVERHEAD_BYTES + (reply.value() == null ? 0 : reply.value().length);
    if (!batch.answers.isEmpty() && batch.bytes + size > maxBytes) {
      send.accept(to.caller(), new Answers(List.copyOf(batch.answers)));
      batch.answers.clear();
      batch.bytes = 0;
    }
    batch.answers.add(new Answer(to.number(), reply));
    batch.bytes += size;
  }

  /** Sends what was added, one message per caller, and starts afresh. */
  void send() {
    batches.forEach((caller, batch) -> {
      if (!batch.answers.isEmpty()) {
        send.accept(caller, new Answers(List.copyOf(batch.answers)));
      }
    });
    batches.clear();
  }

  /** The message that answers {@code to} with {@code reply} alone. */
  static Answers one(ReplyTo to, Reply reply) {
    return new Answers(List.of(new Answer(to.number(), reply)));
  }
}
