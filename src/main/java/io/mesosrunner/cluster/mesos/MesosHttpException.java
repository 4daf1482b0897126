package io.mesosrunner.cluster.mesos;

/**
 * A master (or agent) answered a call with an unexpected HTTP status. Carries the status, the
 * call type and the body text the master sent (its error messages are one-line
 * {@code text/plain}); the message holds the body as {@link #oneLine one line}, so that an HTML
 * page from a proxy in front of the master does not fill the summary.
 */
final class MesosHttpException extends Exception {

  private final int status;
  private final String callType;
  private final String body;

  public MesosHttpException(int status, String callType, String body) {
    super(callType + " answered " + status + (oneLine(body).isEmpty() ? "" : ": " + oneLine(body)));
    this.status = status;
    this.callType = callType;
    this.body = body == null ? "" : body.strip();
  }

  /** At most this many characters of a reply's text go into a message. */
  static final int MAX_REPLY_CHARS = 200;

  /**
   * A reply body as one line for a message: markup (an HTML error page from a master or a proxy)
   * stripped to its text, whitespace collapsed, and cut at {@link #MAX_REPLY_CHARS} with "...".
   */
  static String oneLine(String body) {
    if (body == null) return "";
    String text = body;
    if (text.indexOf('<') >= 0 && text.indexOf('>') > 0) {
      text = text.replaceAll("(?is)<(script|style|head)\\b.*?</\\1\\s*>", " ")
          .replaceAll("(?s)<!--.*?-->", " ")
          .replaceAll("(?s)<[^>]*>", " ")
          .replace("&nbsp;", " ").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
          .replace("&#39;", "'").replace("&amp;", "&");
    }
    text = text.replaceAll("\\s+", " ").strip();
    return text.length() <= MAX_REPLY_CHARS ? text : text.substring(0, MAX_REPLY_CHARS - 3).stripTrailing() + "...";
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
