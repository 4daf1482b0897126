package io.mesosrunner.match;

/**
 * Why a demand does not fit an offer, as numbers: {@code cpus: asked 2.0, offer has 1.5}.
 *
 * @param resource  {@code cpus}, {@code mem}, {@code disk}, {@code gpus} or {@code ports}
 * @param asked     what the demand needs
 * @param available what is left of the offer
 */
public record Shortfall(String resource, double asked, double available) {
  @Override
  public String toString() {
    return toString("offer");
  }

  /**
   * The same line with another subject, e.g. {@code toString("best offer")} gives
   * {@code mem: asked 4096, best offer has 2048}.
   */
  public String toString(String subject) {
    return resource + ": asked " + fmt(asked) + ", " + subject + " has " + fmt(available);
  }

  static String fmt(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }
}
