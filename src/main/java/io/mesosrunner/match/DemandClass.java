package io.mesosrunner.match;

/** One class of identical demands. */
final class DemandClass {
  final String roleName;
  final int role; // -1: no offer has this role
  final int group;
  final Resources resources;
  final double cpus;
  final double mem;
  final double disk;
  final double gpus;
  final int ports;
  final int firstDemand;
  int tree = -1;
  boolean uniqueFree; // its constraint set has no UNIQUE
  boolean[] ok;       // per offer: the constraint set's non-UNIQUE constraints hold
  int[] attrs;        // the constraint set's UNIQUE attributes

  DemandClass(String roleName, int role, int group, Resources r, int ports, int firstDemand) {
    this.roleName = roleName;
    this.role = role;
    this.group = group;
    this.resources = r;
    this.cpus = r.cpus();
    this.mem = r.memMb();
    this.disk = r.diskMb();
    this.gpus = r.gpus();
    this.ports = ports;
    this.firstDemand = firstDemand;
  }

  double[] need() {
    return new double[] {cpus, mem, disk, gpus, ports};
  }
}
