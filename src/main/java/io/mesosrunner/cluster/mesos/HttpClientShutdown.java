package io.mesosrunner.cluster.mesos;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.http.HttpClient;

/**
 * Stops an {@link HttpClient}'s selector thread once the client is no longer needed. The thread
 * waits for network events in native code, and HotSpot's exit waits up to 300 ms for every thread
 * in native code to come back before it ends the process: every Mesos run ended 300 ms later
 * than it had to. Java 21 has {@code HttpClient.shutdownNow()}; on Java 17 the client has no
 * public way to stop, but its selector thread ({@code HttpClient-<id>-SelectorManager}) ends
 * when it is interrupted, closing the client's connections as it goes. The client must not be
 * used afterwards.
 */
final class HttpClientShutdown {

  private HttpClientShutdown() {}

  /** Stops the client's selector thread; returns whether it found one to stop. */
  static boolean stop(HttpClient client) {
    try {
      Method shutdownNow = HttpClient.class.getMethod("shutdownNow");
      shutdownNow.invoke(client);
      return true;
    } catch (NoSuchMethodException e) {
      // Java 17: interrupt the thread below.
    } catch (IllegalAccessException | InvocationTargetException e) {
      return false;
    }
    Thread selector = selectorThread(client);
    if (selector == null) return false;
    selector.interrupt();
    return true;
  }

  /** The client's selector thread, found by the id the client prints as {@code ...HttpClientImpl@hash(id)}; or null. */
  static Thread selectorThread(HttpClient client) {
    String text = client.toString();
    int open = text.lastIndexOf('(');
    if (open < 0 || !text.endsWith(")")) return null;
    String name = "HttpClient-" + text.substring(open + 1, text.length() - 1) + "-SelectorManager";
    ThreadGroup root = Thread.currentThread().getThreadGroup();
    while (root.getParent() != null) root = root.getParent();
    Thread[] threads = new Thread[root.activeCount() + 16];
    int n = root.enumerate(threads, true);
    for (int i = 0; i < n; i++) {
      if (threads[i].getName().equals(name)) return threads[i];
    }
    return null;
  }
}
