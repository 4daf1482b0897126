package io.mesosrunner.cluster.mesos;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * The body of a SUBSCRIBE answer: hands each chunk the HTTP client receives to the subscription
 * thread's inbox, and asks for more as that thread takes them ({@value #WINDOW} chunks ahead at
 * most). The answer itself completes at once, with the response head.
 *
 * <p>Threads: the HTTP client's selector thread calls the {@link Flow.Subscriber} methods (and
 * writes {@code upstream}); the subscription thread calls {@link #request} and {@link #cancel}
 * (and writes {@code cancelled}).
 */
final class EventStreamBody implements HttpResponse.BodySubscriber<byte[]> {

  /** Chunks asked for ahead of the subscription thread: bounds what waits in its inbox. */
  static final int WINDOW = 16;

  private final BlockingQueue<Subscription.Signal> inbox;
  private volatile Flow.Subscription upstream;
  private volatile boolean cancelled;

  EventStreamBody(BlockingQueue<Subscription.Signal> inbox) {
    this.inbox = inbox;
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    upstream = subscription;
    if (cancelled) {
      subscription.cancel();
    } else {
      subscription.request(WINDOW);
    }
  }

  @Override
  public void onNext(List<ByteBuffer> item) {
    inbox.add(new Subscription.Signal.Chunk(this, item));
  }

  @Override
  public void onError(Throwable throwable) {
    inbox.add(new Subscription.Signal.StreamEnd(this, throwable));
  }

  @Override
  public void onComplete() {
    inbox.add(new Subscription.Signal.StreamEnd(this, null));
  }

  /** Subscription thread: one chunk was taken, ask for one more. */
  void request() {
    Flow.Subscription s = upstream;
    if (s != null && !cancelled) {
      s.request(1);
    }
  }

  /** Subscription thread: closes the stream (and its connection); idempotent. */
  void cancel() {
    cancelled = true;
    Flow.Subscription s = upstream;
    if (s != null) {
      s.cancel();
    }
  }
}
