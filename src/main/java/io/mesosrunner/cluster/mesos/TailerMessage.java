package io.mesosrunner.cluster.mesos;

import io.mesosrunner.cluster.TaskSpec;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * What other threads tell the {@link AgentFileTailer}'s thread, through its inbox: the
 * scheduler's thread what to track or forget, the subscription thread a task's end, the closing
 * thread the drain and the close, and the HTTP client's thread each answer to a page asked for.
 * Values only.
 */
sealed interface TailerMessage {

  /** Start reading a launched task's files on the agent at {@code agentBase}. */
  record Track(TaskSpec task, URI agentBase, String frameworkId) implements TailerMessage {}

  /** The task's terminal update came: read it once more, then stop after the linger time. */
  record Terminal(String taskId) implements TailerMessage {}

  /** Stop reading a task at once (it never launched). */
  record Forget(String taskId) implements TailerMessage {}

  /** The answer to a page a read asked for ({@code response} null when {@code failure} is not). */
  record PageRead(TaskOutput.Read read, HttpResponse<byte[]> response, Throwable failure) implements TailerMessage {}

  /** Read what is left within {@code budget}, flush, stop; complete {@code done} then. */
  record Drain(Duration budget, CompletableFuture<Void> done) implements TailerMessage {}

  /** Stop at once; nothing more is read or passed on. */
  record Close() implements TailerMessage {}
}
