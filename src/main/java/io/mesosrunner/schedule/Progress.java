package io.mesosrunner.schedule;

/**
 * Counters for the live status line. Cheap to take at any time.
 *
 * @param instances  completions required
 * @param done       instances completed
 * @param active     instances staging or running
 * @param waiting    instances pending or in backoff
 * @param failed     instances out of retries
 * @param attempts   attempts launched so far
 * @param waitReason why the waiting instances wait, or "" when none waits
 */
public record Progress(int instances, int done, int active, int waiting, int failed, long attempts, String waitReason) {}
