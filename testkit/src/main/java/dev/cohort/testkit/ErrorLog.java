package dev.cohort.testkit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Collects every ERROR logged in this JVM while a test cluster runs, so that a test can fail on an
 * error no one expected: a node that logs an ERROR is telling something went wrong even when the
 * assertions pass.
 */
final class ErrorLog extends AppenderBase<ILoggingEvent> {
  private final List<String> errors = new ArrayList<>();

  private ErrorLog() {}

  /** Starts collecting ERRORs from the root logger. */
  static ErrorLog attach() {
    var log = new ErrorLog();
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      log.setContext(context);
      log.setName("cohort-test-errors");
      log.start();
      context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(log);
    }
    return log;
  }

  @Override
  protected synchronized void append(ILoggingEvent event) {
    if (event.getLevel().isGreaterOrEqual(Level.ERROR)) {
      String source = event.getMDCPropertyMap().getOrDefault("pekkoAddress", event.getThreadName());
      errors.add("[" + source + "] " + event.getLoggerName() + " - " + event.getFormattedMessage());
    }
  }

  /** The ERRORs logged so far. */
  synchronized List<String> errors() {
    return List.copyOf(errors);
  }

  /** Stops collecting. */
  void detach() {
    if (getContext() instanceof LoggerContext context) {
      context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(this);
    }
    stop();
  }
}
