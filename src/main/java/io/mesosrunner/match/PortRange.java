package io.mesosrunner.match;

/** An inclusive range of port numbers, as Mesos offers them. */
public record PortRange(long begin, long end) {
  public PortRange {
    if (begin < 0 || end < begin || end > 65535) {
      throw new IllegalArgumentException("bad port range [" + begin + "-" + end + "]");
    }
  }

  public long size() {
    return end - begin + 1;
  }
}
