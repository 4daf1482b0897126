package io.mesosrunner.cluster.local;

/** Names of POSIX signals as {@code strsignal(3)} on Linux gives them (the command executor's wording). */
final class Signals {

  private Signals() {}

  static String name(int signal) {
    return switch (signal) {
      case 1 -> "Hangup";
      case 2 -> "Interrupt";
      case 3 -> "Quit";
      case 4 -> "Illegal instruction";
      case 5 -> "Trace/breakpoint trap";
      case 6 -> "Aborted";
      case 7 -> "Bus error";
      case 8 -> "Floating point exception";
      case 9 -> "Killed";
      case 10 -> "User defined signal 1";
      case 11 -> "Segmentation fault";
      case 12 -> "User defined signal 2";
      case 13 -> "Broken pipe";
      case 14 -> "Alarm clock";
      case 15 -> "Terminated";
      default -> "Unknown signal " + signal;
    };
  }
}
