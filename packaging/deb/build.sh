#!/bin/sh
# Builds target/mesos-runner_<version>_<arch>.deb (mvn -Pdeb -DskipTests package runs this):
#   /opt/mesos-runner/runtime      a Java runtime made by jlink with only the modules the runner uses
#   /opt/mesos-runner/lib          runner.jar, and its class-data archive once installed
#   /opt/mesos-runner/bin/runner   the same launcher as a source checkout's bin/runner
#   /usr/bin/runner                a link to it
# so the package runs with no Java installed, and behaves exactly as bin/runner does.
# Usage: packaging/deb/build.sh VERSION   (JAVA_HOME: the JDK whose jlink builds the runtime)
set -eu
version=$1
root=$(cd "$(dirname "$0")/../.." && pwd -P)
jdk=${JAVA_HOME:?JAVA_HOME must name the JDK whose jlink builds the runtime}
# `jdeps --print-module-deps --ignore-missing-deps --multi-release 17 target/runner.jar` (java.desktop
# is java.beans, which Hibernate Validator and Jackson use), plus jdk.crypto.ec, which TLS to a
# master loads as a service and jdeps cannot see.
modules=java.base,java.compiler,java.desktop,java.naming,java.net.http,java.scripting,java.security.jgss,java.security.sasl,java.sql,jdk.management,jdk.unsupported,jdk.crypto.ec
arch=$(dpkg --print-architecture)
# Debian orders 0.1.0~SNAPSHOT before 0.1.0, as Maven does.
deb_version=$(printf '%s' "$version" | sed 's/-/~/')
stage=$root/target/deb/stage
app=$stage/opt/mesos-runner

rm -rf "$root/target/deb"
mkdir -p "$app/bin" "$app/lib" "$app/jobs" "$stage/usr/bin" "$stage/DEBIAN"
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
  --compress=2 --generate-cds-archive --output "$app/runtime"
cp "$root/target/runner.jar" "$app/lib/runner.jar"
cp "$root/bin/runner" "$app/bin/runner"
cp "$root/jobs/hello.yaml" "$app/jobs/hello.yaml"
chmod 755 "$app/bin/runner"
ln -s ../../opt/mesos-runner/bin/runner "$stage/usr/bin/runner"
# The class-data archive is trained at install time, not here: Java 17 records the jar's path in
# it and refuses it for a jar at another path, and the staged tree is not where it is installed.
cat > "$stage/DEBIAN/postinst" <<'POSTINST'
#!/bin/sh
set -e
if [ "$1" = configure ]; then
  # A few seconds; the runner works without the archive, only slower to start, so a failure
  # here must not fail the installation.
  RUNNER_ARCHIVE_TRAIN=1 /opt/mesos-runner/bin/runner >/dev/null 2>&1 || rm -f /opt/mesos-runner/lib/runner.jsa /opt/mesos-runner/lib/runner.jsa.id
fi
POSTINST
cat > "$stage/DEBIAN/prerm" <<'PRERM'
#!/bin/sh
set -e
rm -f /opt/mesos-runner/lib/runner.jsa /opt/mesos-runner/lib/runner.jsa.id
PRERM
chmod 755 "$stage/DEBIAN/postinst" "$stage/DEBIAN/prerm"
size=$(du -sk "$stage" | cut -f1)
cat > "$stage/DEBIAN/control" <<CONTROL
Package: mesos-runner
Version: $deb_version
Architecture: $arch
Maintainer: mesos-runner developers <mesos-runner@localhost>
Installed-Size: $size
Depends: libc6, perl-base
Section: admin
Priority: optional
Homepage: https://mesos.apache.org/
Description: declarative job-file runner for Apache Mesos
 Runs a job written as a small YAML file on an Apache Mesos cluster, or on an
 embedded local cluster when no master is named, and exits with a code CI can
 trust. Installs the runner command; brings its own Java runtime.
CONTROL
out=$root/target/mesos-runner_${deb_version}_$arch.deb
dpkg-deb --root-owner-group -Zgzip --build "$stage" "$out" >/dev/null
echo "built $out"
