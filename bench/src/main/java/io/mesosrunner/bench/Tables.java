package io.mesosrunner.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns raw results (hyperfine JSON, JMH JSON, the TSV lines of {@link MatcherReport}) into the
 * Markdown tables of the bench scripts, so the scripts need nothing but Java.
 *
 * <p>{@code Tables ratios BASELINE ROUND.json...}: hyperfine files of alternating rounds (one run
 * of every command per file); per command the median time and the median of its per-round ratio
 * to the command named BASELINE. Prints the table; the last line is {@code RATIO name value} per
 * command, for scripts.
 *
 * <p>{@code Tables matcher PACKING.tsv JMH.json...}: the matcher comparison.
 */
public final class Tables {

  private Tables() {}

  public static void main(String[] args) throws IOException {
    switch (args[0]) {
      case "ratios" -> ratios(args[1], Arrays.asList(args).subList(2, args.length));
      case "growth" -> growth(args[1], args[2]);
      case "matcher" -> matcher(Path.of(args[1]), Arrays.asList(args).subList(2, args.length));
      default -> throw new IllegalArgumentException("table (" + args[0] + ") must be ratios or matcher");
    }
  }

  static double median(List<Double> xs) {
    if (xs.isEmpty()) return Double.NaN;
    double[] a = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int n = a.length;
    return n % 2 == 1 ? a[n / 2] : (a[n / 2 - 1] + a[n / 2]) / 2;
  }

  private static void ratios(String baseline, List<String> files) throws IOException {
    ObjectMapper json = new ObjectMapper();
    Map<String, List<Double>> times = new LinkedHashMap<>();
    Map<String, List<Double>> ratios = new LinkedHashMap<>();
    for (String f : files) {
      Map<String, Double> round = new LinkedHashMap<>();
      for (JsonNode r : json.readTree(new File(f)).get("results")) {
        for (JsonNode t : r.get("times")) {
          round.put(r.get("command").asText(), t.asDouble());
        }
        JsonNode codes = r.get("exit_codes");
        if (codes != null) {
          for (JsonNode c : codes) {
            if (c.asInt() != 0) throw new IllegalStateException(r.get("command").asText() + " exited " + c.asInt() + " in " + f);
          }
        }
      }
      Double base = round.get(baseline);
      if (base == null) throw new IllegalArgumentException("no command named " + baseline + " in " + f);
      for (Map.Entry<String, Double> e : round.entrySet()) {
        times.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue());
        ratios.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue() / base);
      }
    }
    System.out.println("| command | median s | min s | max s | median ratio to " + baseline + " |");
    System.out.println("|---|---:|---:|---:|---:|");
    StringBuilder machine = new StringBuilder();
    for (String name : times.keySet()) {
      List<Double> t = times.get(name);
      System.out.printf(Locale.ROOT, "| %s | %.3f | %.3f | %.3f | %.2f |%n", name, median(t),
          t.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN),
          t.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN), median(ratios.get(name)));
      machine.append(String.format(Locale.ROOT, "RATIO %s %.3f%n", name, median(ratios.get(name))));
      machine.append(String.format(Locale.ROOT, "TIME %s %.4f%n", name, median(t)));
    }
    System.out.println();
    System.out.println("(" + files.size() + " alternating rounds)");
    System.err.print(machine);
  }

  /** How a contender's JMH time grew between its two sizes, and that growth applied once more. */
  private static void growth(String who, String jmhFile) throws IOException {
    List<double[]> points = new ArrayList<>(); // instances, ms
    for (JsonNode b : new ObjectMapper().readTree(new File(jmhFile))) {
      if (!b.get("benchmark").asText().endsWith("." + who)) continue;
      String size = b.get("params").get("size").asText();
      points.add(new double[] {Double.parseDouble(size.split("x")[0]), b.get("primaryMetric").get("score").asDouble()});
    }
    points.sort((x, y) -> Double.compare(x[0], y[0]));
    if (points.size() < 2) return;
    double[] a = points.get(points.size() - 2);
    double[] b = points.get(points.size() - 1);
    double g = b[1] / a[1];
    double step = b[0] / a[0];
    System.out.printf(Locale.ROOT, "Extrapolation: Fenzo's JMH time grew %.0fx from %.0f to %.0f instances (with 10x the offers); "
        + "one more such step predicts about %.0f s at %.0fx that size (and %.0f s if it grows as tasks x hosts, %.0fx per step). "
        + "At that speed Fenzo would place about %.0f instances per second.%n",
        g, a[0], b[0], b[1] * g / 1000, step, b[1] * step * step / 1000, step * step, b[0] * step / (b[1] * g / 1000));
  }

  /** Rows keyed by contender and size from MatcherReport lines. */
  private static void matcher(Path packingFile, List<String> jmhFiles) throws IOException {
    Map<String, String[]> packing = new LinkedHashMap<>();
    for (String line : Files.readAllLines(packingFile)) {
      if (line.isBlank()) continue;
      String[] f = line.split("\t");
      packing.put(f[0] + " " + f[1], f);
    }
    Map<String, Double> ms = new LinkedHashMap<>();
    Map<String, Double> err = new LinkedHashMap<>();
    for (String jmhFile : jmhFiles) {
      for (JsonNode b : new ObjectMapper().readTree(new File(jmhFile))) {
        String name = b.get("benchmark").asText();
        String who = name.substring(name.lastIndexOf('.') + 1);
        if (who.equals("bareFfd")) who = "bare";
        String size = b.get("params").get("size").asText();
        ms.put(who + " " + size, b.get("primaryMetric").get("score").asDouble());
        err.put(who + " " + size, b.get("primaryMetric").get("scoreError").asDouble());
      }
    }
    System.out.println("| contender | instances x offers | time ms | placements/s | placed | offers used | cpus left on used | mem GiB left on used | timed by |");
    System.out.println("|---|---|---:|---:|---:|---:|---:|---:|---|");
    List<String> sizes = new ArrayList<>();
    for (String[] f : packing.values()) if (!sizes.contains(f[1])) sizes.add(f[1]);
    Map<String, Double> rate = new LinkedHashMap<>();
    for (String size : sizes) {
      for (String who : List.of("ours", "bare", "fenzo")) {
        String[] f = packing.get(who + " " + size);
        if (f == null) continue;
        Double t = ms.get(who + " " + size);
        String by = "JMH single-shot";
        if (t == null) {
          t = Double.parseDouble(f[2]);
          by = "one run (" + (f.length > 9 ? f[9] : "wall clock") + ")";
        } else if (!Double.isNaN(err.get(who + " " + size))) {
          by = String.format(Locale.ROOT, "JMH single-shot ±%.1f ms", err.get(who + " " + size));
        }
        int placed = Integer.parseInt(f[3]);
        double perSec = placed / (t / 1000);
        rate.put(who + " " + size, perSec);
        System.out.printf(Locale.ROOT, "| %s | %s | %.1f | %,.0f | %d | %s | %s | %s | %s |%n", who, size, t, perSec, placed, f[4], f[5],
            f[6], by);
      }
    }
    System.out.println();
    System.out.println("| instances x offers | ours / Fenzo throughput | ours time / bare FFD time | ours placed - Fenzo placed | ours placed - bare placed |");
    System.out.println("|---|---:|---:|---:|---:|");
    for (String size : sizes) {
      String[] o = packing.get("ours " + size);
      String[] fz = packing.get("fenzo " + size);
      String[] b = packing.get("bare " + size);
      if (o == null) continue;
      String vsFenzo = fz == null || !rate.containsKey("fenzo " + size) ? "n/a"
          : String.format(Locale.ROOT, "%.0fx", rate.get("ours " + size) / rate.get("fenzo " + size));
      Double ot = ms.containsKey("ours " + size) ? ms.get("ours " + size) : Double.parseDouble(o[2]);
      Double bt = b == null ? null : ms.containsKey("bare " + size) ? ms.get("bare " + size) : Double.parseDouble(b[2]);
      String vsBare = bt == null ? "n/a" : String.format(Locale.ROOT, "%.2f", ot / bt);
      String dF = fz == null ? "n/a" : Integer.toString(Integer.parseInt(o[3]) - Integer.parseInt(fz[3]));
      String dB = b == null ? "n/a" : Integer.toString(Integer.parseInt(o[3]) - Integer.parseInt(b[3]));
      System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", size, vsFenzo, vsBare, dF, dB);
    }
  }
}
