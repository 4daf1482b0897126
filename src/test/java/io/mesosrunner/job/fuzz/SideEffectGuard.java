package io.mesosrunner.job.fuzz;

import java.nio.file.Path;
import java.security.Permission;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Watches one thread for side effects while it is installed: refuses (and records) every process
 * start, and records every file write or delete outside one allowed directory. Everything else is
 * permitted. Uses the JDK 17 security manager, the one hook that sees every process start and file
 * write of the JVM.
 */
@SuppressWarnings("removal")
final class SideEffectGuard extends SecurityManager implements AutoCloseable {

  private final Thread watched = Thread.currentThread();
  private final Path allowed;
  private final SecurityManager previous = System.getSecurityManager();
  private final List<String> violations = Collections.synchronizedList(new ArrayList<>());

  SideEffectGuard(Path allowed) {
    this.allowed = allowed.toAbsolutePath().normalize();
    System.setSecurityManager(this);
  }

  /** Every refused process start and outside write seen so far. */
  List<String> violations() {
    synchronized (violations) {
      return List.copyOf(violations);
    }
  }

  @Override
  public void checkPermission(Permission perm) {}

  @Override
  public void checkPermission(Permission perm, Object context) {}

  @Override
  public void checkExec(String cmd) {
    if (Thread.currentThread() != watched) return;
    violations.add("started a process: " + cmd);
    throw new SecurityException("no process may start here: " + cmd);
  }

  @Override
  public void checkWrite(String file) {
    outside("wrote", file);
  }

  @Override
  public void checkDelete(String file) {
    outside("deleted", file);
  }

  private void outside(String what, String file) {
    if (Thread.currentThread() != watched) return;
    if (!Path.of(file).toAbsolutePath().normalize().startsWith(allowed)) violations.add(what + " " + file);
  }

  @Override
  public void close() {
    System.setSecurityManager(previous);
  }
}
