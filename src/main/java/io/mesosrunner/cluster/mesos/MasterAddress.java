package io.mesosrunner.cluster.mesos;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where the Mesos master is: either one HTTP(S) endpoint or a ZooKeeper path under which the
 * masters elect a leader.
 *
 * <p>Accepted forms (see {@link #parse}): {@code host:port}, {@code host} (port 5050),
 * {@code http://host:port}, {@code https://host:port}, {@code zk://h1:2181,h2:2181/mesos}.
 */
public sealed interface MasterAddress {

  /** The port a master listens on when an address names none. */
  int DEFAULT_PORT = 5050;

  /**
   * One master reached over HTTP or HTTPS.
   *
   * @param baseUri scheme, host, port and an optional path prefix, never ending in '/'
   */
  record Http(URI baseUri) implements MasterAddress {
    public Http {
      Objects.requireNonNull(baseUri, "baseUri");
      String scheme = baseUri.getScheme();
      if (!"http".equals(scheme) && !"https".equals(scheme)) {
        throw new IllegalArgumentException("master URI (" + baseUri + ") must use http or https");
      }
      if (baseUri.getHost() == null || baseUri.getPort() < 0) {
        throw new IllegalArgumentException("master URI (" + baseUri + ") must name a host and a port");
      }
    }

    /** The scheduler endpoint, {@code <base>/api/v1/scheduler}. */
    public URI schedulerUri() {
      return URI.create(baseUri + "/api/v1/scheduler");
    }

    public boolean isHttps() {
      return "https".equals(baseUri.getScheme());
    }

    @Override
    public String toString() {
      return baseUri.toString();
    }
  }

  /**
   * A ZooKeeper ensemble and the path the masters register under.
   *
   * @param connectString {@code h1:2181,h2:2181}
   * @param path          absolute, e.g. {@code /mesos}
   */
  record ZooKeeper(String connectString, String path) implements MasterAddress {
    public ZooKeeper {
      Objects.requireNonNull(connectString, "connectString");
      Objects.requireNonNull(path, "path");
      if (!path.startsWith("/") || path.length() < 2) {
        throw new IllegalArgumentException("ZooKeeper path (" + path + ") must be absolute and not '/'");
      }
    }

    @Override
    public String toString() {
      return "zk://" + connectString + path;
    }
  }

  /**
   * Parses a master address as a user writes it on the command line or in {@code MESOS_MASTER}.
   *
   * @throws IllegalArgumentException naming the bad input and what was expected
   */
  static MasterAddress parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("master address is empty; expected host:port, http(s)://host:port or zk://host:port/path");
    }
    String s = text.trim();
    int schemeEnd = s.indexOf("://");
    if (schemeEnd < 0) {
      return parseHttp("http://" + s, text);
    }
    String scheme = s.substring(0, schemeEnd).toLowerCase(java.util.Locale.ROOT);
    return switch (scheme) {
      case "http", "https" -> parseHttp(scheme + s.substring(schemeEnd), text);
      case "zk" -> parseZk(s.substring(schemeEnd + 3), text);
      default -> throw new IllegalArgumentException(
          "master address '" + text + "' has unsupported scheme '" + scheme + "'; expected http, https or zk");
    };
  }

  private static MasterAddress parseHttp(String uriText, String original) {
    URI uri;
    try {
      uri = new URI(uriText);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("master address '" + original + "' is not a valid host:port or URL: " + e.getReason());
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new IllegalArgumentException("master address '" + original + "' names no host (or has a bad port); expected host:port");
    }
    if (uri.getUserInfo() != null) {
      throw new IllegalArgumentException("master address '" + original + "' must not carry credentials; use the principal and secret file options");
    }
    if (uri.getQuery() != null || uri.getFragment() != null) {
      throw new IllegalArgumentException("master address '" + original + "' must not have a query or fragment");
    }
    int port = uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort();
    checkPort(port, original);
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return new Http(URI.create(uri.getScheme().toLowerCase(java.util.Locale.ROOT) + "://" + hostForUri(uri.getHost()) + ":" + port + path));
  }

  private static String hostForUri(String host) {
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  private static MasterAddress parseZk(String rest, String original) {
    int slash = rest.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("ZooKeeper address '" + original + "' has no path; expected zk://host:port[,host:port...]/path");
    }
    String hosts = rest.substring(0, slash);
    String path = rest.substring(slash);
    while (path.length() > 1 && path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    if (hosts.contains("@")) {
      throw new IllegalArgumentException("ZooKeeper address '" + original + "' carries credentials, which are not supported");
    }
    if (hosts.isEmpty()) {
      throw new IllegalArgumentException("ZooKeeper address '" + original + "' names no host; expected zk://host:port/path");
    }
    List<String> checked = new ArrayList<>();
    for (String hp : hosts.split(",", -1)) {
      int colon = hp.lastIndexOf(':');
      if (hp.isEmpty() || colon <= 0 || colon == hp.length() - 1) {
        throw new IllegalArgumentException("ZooKeeper address '" + original + "': '" + hp + "' is not host:port");
      }
      int port;
      try {
        port = Integer.parseInt(hp.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("ZooKeeper address '" + original + "': port '" + hp.substring(colon + 1) + "' is not a number");
      }
      checkPort(port, original);
      checked.add(hp);
    }
    if (path.length() < 2) {
      throw new IllegalArgumentException("ZooKeeper address '" + original + "' has an empty path; expected e.g. zk://host:2181/mesos");
    }
    return new ZooKeeper(String.join(",", checked), path);
  }

  private static void checkPort(int port, String original) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("master address '" + original + "': port " + port + " is out of range 1..65535");
    }
  }
}
