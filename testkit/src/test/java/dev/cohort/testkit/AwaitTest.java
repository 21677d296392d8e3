package dev.cohort.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AwaitTest {
  private static final Duration SHORT = Duration.ofMillis(300);

  @Test
  void aConditionEndingInABooleanWaitsUntilItIsTrue() {
    var polls = new AtomicInteger();
    // Optional<Boolean>.orElse gives a Boolean: this lambda binds to until(Supplier), not until(BooleanSupplier).
    Boolean result = Await.until("the third poll", Duration.ofSeconds(5),
        () -> Optional.of(polls.incrementAndGet()).map(n -> n >= 3).orElse(false));
    assertTrue(result);
    assertEquals(3, polls.get());
  }

  @Test
  void aConditionEndingInABooleanThatStaysFalseTimesOut() {
    AssertionError error = assertThrows(AssertionError.class,
        () -> Await.until("never", SHORT, () -> Optional.of(1).map(n -> n > 1).orElse(false)));
    assertTrue(error.getMessage().contains("waiting for never"), error.getMessage());
  }

  @Test
  void aValueIsReturnedOnceItIsThere() {
    var polls = new AtomicInteger();
    String value = Await.until("a value", Duration.ofSeconds(5), () -> polls.incrementAndGet() < 2 ? null : "there");
    assertEquals("there", value);
    assertEquals(2, polls.get());
  }
}
