package io.mesosrunner.cluster.local;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Copies a finished task's declared {@code outputs} from its sandbox into the run's directory,
 * {@code <runDir>/outputs/<step>/<instance>/<path>}, while the sandbox still exists. A plain path
 * that is missing fails the attempt; a glob that matches nothing is only a warning.
 */
final class OutputCollector {

  /** How the message of an attempt failed for a missing output starts (it has no exit code of its own). */
  static final String MISSING = "Missing declared output";

  /**
   * @param warnings a glob that matched nothing is added here
   * @return null when every declared output was copied, else why the attempt fails
   */
  static String collect(Path sandbox, Path target, List<String> outputs, List<String> warnings) {
    try {
      for (String output : outputs) {
        if (isGlob(output)) {
          List<Path> matched = glob(sandbox, output);
          if (matched.isEmpty()) warnings.add("output '" + output + "' matched nothing");
          for (Path p : matched) copy(p, target.resolve(sandbox.relativize(p).toString()));
        } else {
          Path source = sandbox.resolve(output).normalize();
          if (!source.startsWith(sandbox) || !Files.exists(source)) {
            return MISSING + " '" + output + "': no such file in the sandbox " + sandbox;
          }
          copyTree(source, target.resolve(output).normalize());
        }
      }
      return null;
    } catch (IOException e) {
      return MISSING + ": cannot copy the outputs to " + target + ": " + e.getMessage();
    }
  }

  static boolean isGlob(String path) {
    return path.indexOf('*') >= 0 || path.indexOf('?') >= 0 || path.indexOf('[') >= 0 || path.indexOf('{') >= 0;
  }

  private static List<Path> glob(Path sandbox, String pattern) throws IOException {
    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
    List<Path> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(sandbox)) {
      files.filter(Files::isRegularFile).filter(p -> matcher.matches(sandbox.relativize(p))).sorted().forEach(out::add);
    }
    return out;
  }

  private static void copyTree(Path source, Path target) throws IOException {
    if (!Files.isDirectory(source)) {
      copy(source, target);
      return;
    }
    try (Stream<Path> files = Files.walk(source)) {
      for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        copy(p, target.resolve(source.relativize(p).toString()));
      }
    }
  }

  private static void copy(Path source, Path target) throws IOException {
    Files.createDirectories(target.getParent());
    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
  }
}
