package io.mesosrunner.cluster.mesos;

import static io.mesosrunner.cluster.mesos.SchedulerHttpClient.base;
import static io.mesosrunner.cluster.mesos.SchedulerHttpClient.describe;

import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the SUBSCRIBE attempts that failed in a row and says what follows one: another attempt
 * at once (a redirect), after a backoff that doubles from {@code reconnectMin} to {@code
 * reconnectMax}, or giving up (a 401, a framework refused {@value #MAX_REFUSALS} times, too many
 * failures). A subscription that reached SUBSCRIBED and then ended starts the count again.
 *
 * <p>Threads: the subscription thread's own.
 */
final class Reconnects {

  private static final Logger log = LoggerFactory.getLogger(Reconnects.class);
  private static final int MAX_REFUSALS = 3;

  /** What one attempt came to. */
  sealed interface Outcome {
    record NoLeader() implements Outcome {}

    record Redirect(URI to) implements Outcome {}

    /** The stream was open and ended (or was aborted once open). */
    record StreamEnded() implements Outcome {}

    record Refused(MesosHttpException error) implements Outcome {}

    record Unreachable(Throwable error) implements Outcome {}

    /** Aborted before the answer to SUBSCRIBE came. */
    record Aborted() implements Outcome {}
  }

  /**
   * What follows an attempt. {@code problem}: what went wrong (null after a redirect);
   * {@code giveUp}: why to stop, or null; else the next attempt, retry number {@code retry}
   * (from 1), comes after {@code waitMs} (0: at once).
   */
  record Verdict(String problem, String giveUp, long waitMs, int retry) {}

  private final MesosConfig config;
  private int failures;
  private int refusals;
  private int redirects;

  Reconnects(MesosConfig config) {
    this.config = config;
  }

  /** The attempt about to start, counting from 1, for messages. */
  int nextAttempt() {
    return failures + 1;
  }

  /**
   * Judges an attempt at {@code target}. {@code wasSubscribed}: it reached SUBSCRIBED;
   * {@code abortReason}: why it was ended from our side, or null.
   */
  Verdict judge(Outcome outcome, URI target, boolean wasSubscribed, String abortReason) {
    if (outcome instanceof Outcome.Redirect r) {
      if (++redirects <= SchedulerHttpClient.MAX_REDIRECTS) {
        log.info("{} redirected the subscription to {}", target, r.to());
        return new Verdict(null, null, 0, 0);
      }
      failures++;
      return next("too many redirects, last from " + target + " to " + r.to());
    }
    if (outcome instanceof Outcome.NoLeader) {
      failures++;
      return next("no leading master found in " + config.master());
    }
    redirects = 0;
    if (outcome instanceof Outcome.StreamEnded) {
      if (wasSubscribed) {
        failures = 0;
        refusals = 0;
      } else {
        failures++;
      }
      return next(abortReason != null ? abortReason : "master at " + base(target) + " closed the event stream");
    }
    if (outcome instanceof Outcome.Refused r) {
      return refused(r.error(), target);
    }
    if (outcome instanceof Outcome.Unreachable u) {
      failures++;
      String problem = (wasSubscribed ? "connection to master at " + base(target) + " lost: "
          : "cannot reach master at " + base(target) + ": ") + describe(u.error());
      log.info("{}", problem);
      return next(problem);
    }
    if (outcome instanceof Outcome.Aborted) {
      failures++;
      return next(abortReason != null ? abortReason : "subscription interrupted");
    }
    throw new IllegalStateException("unknown outcome " + outcome);
  }

  private Verdict refused(MesosHttpException e, URI target) {
    String problem = "master at " + target + " answered SUBSCRIBE with " + e.status()
        + (e.body().isEmpty() ? "" : ": " + MesosHttpException.oneLine(e.body()));
    if (e.status() == 401) {
      return new Verdict(problem, "authentication failed at " + base(target) + (config.principal() == null
          ? " (the master requires credentials; none were configured)"
          : " for principal '" + config.principal() + "'"), 0, 0);
    }
    if (e.isClientError()) {
      if (++refusals >= Math.min(MAX_REFUSALS, config.maxReconnectAttempts())) {
        return new Verdict(problem, "master at " + base(target) + " refused the framework: " + e.getMessage(), 0, 0);
      }
    } else {
      failures++;
    }
    log.info("{}", problem);
    return next(problem);
  }

  private Verdict next(String problem) {
    if (failures >= config.maxReconnectAttempts()) {
      return new Verdict(problem, failures + (failures == 1 ? " attempt failed; " : " attempts failed; ") + problem, 0, 0);
    }
    long min = config.reconnectMin().toMillis();
    long max = config.reconnectMax().toMillis();
    long backoff = Math.min(min << Math.min(Math.max(failures, 1) - 1, 20), max);
    return new Verdict(problem, null, Math.max(backoff, 1), Math.max(failures, 1));
  }
}
