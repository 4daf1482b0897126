/**
 * Durable run state, so a runner that crashes can resume a run without losing or repeating work.
 *
 * <ul>
 *   <li>{@link io.mesosrunner.state.JobStore}: one job's state directory
 *       ({@code <stateDir>/<jobName>/}), locked while a runner uses it; open, then resume or start new.
 *   <li>{@link io.mesosrunner.state.RunJournal}: the append-only, checksummed, write-ahead log of a
 *       run; each batch is forced before {@code append} returns.
 *   <li>{@link io.mesosrunner.state.JournalRecord}: what the journal holds.
 *   <li>{@link io.mesosrunner.state.RunState}: a pure fold of the records, for resuming and for
 *       {@code runner status}.
 *   <li>{@link io.mesosrunner.state.StateLock}: the OS file lock with the holder's pid.
 * </ul>
 *
 * <p>Depends on {@code schedule} only for its enums (task states, end causes, outcomes).
 */
package io.mesosrunner.state;
