package io.mesosrunner.cluster.mesos;

/**
 * A master (or agent) answered a call with an unexpected HTTP status. Carries the status, the
 * call type and the body text the master sent (its error messages are one-line
 * {@code text/plain}).
 */
final class MesosHttpException extends Exception {

  private final int status;
  private final String callType;
  private final String body;

  public MesosHttpException(int status, String callType, String body) {
    super(callType + " answered " + status + (body == null || body.isBlank() ? "" : ": " + body.strip()));
    this.status = status;
    this.callType = callType;
    this.body = body == null ? "" : body.strip();
  }

  public int status() {
    return status;
  }

  public String callType() {
    return callType;
  }

  /** The response body as text, stripped; empty when there was none. */
  public String body() {
    return body;
  }

  public boolean isClientError() {
    return status >= 400 && status < 500;
  }

  public boolean isServerError() {
    return status >= 500;
  }
}
