# The local cluster's process spawner (see PerlProcessStarter.java for the protocol).
#
# One of these runs beside the runner. It forks every task's process, makes it the leader of a
# new session and process group, sets up its sandbox and execs it: one fork and one exec per
# task, the least a shell pays too. It reaps the tasks and reports how they ended, and signals
# process groups on request. It ignores the terminal's signals (the runner decides when tasks
# die) and exits when its input closes: the tasks then live on in their own sessions, and the
# next runner finds them through their .runner-pid files.
#
# It is a child subreaper (prctl PR_SET_CHILD_SUBREAPER, Linux): a process that a task started
# and that lost its parent (a daemon that double-forked, or left the task's session with setsid)
# becomes its child instead of init's. When a task's process ends, every such orphan that carries
# the task's MESOS_TASK_ID in its environment is killed with all its descendants before the end
# is reported, as a Mesos agent destroys a container: no process outlives its task.
use strict;
use warnings;
use POSIX ();
use Fcntl ();

my @FORWARDED = qw(INT TERM QUIT HUP PIPE USR1 USR2 TSTP TTIN TTOU);
$SIG{$_} = 'IGNORE' for @FORWARDED;

my $CLK_TCK = POSIX::sysconf(POSIX::_SC_CLK_TCK()) || 100;
my $BOOT_MILLIS = 0;
if (open(my $stat, '<', '/proc/stat')) {
  while (<$stat>) {
    if (/^btime (\d+)/) { $BOOT_MILLIS = $1 * 1000; last; }
  }
  close $stat;
}

pipe(my $wake_r, my $wake_w) or die "spawner: pipe: $!\n";
for my $fh ($wake_r, $wake_w) {
  my $flags = fcntl($fh, Fcntl::F_GETFL(), 0);
  fcntl($fh, Fcntl::F_SETFL(), $flags | Fcntl::O_NONBLOCK());
}
$SIG{CHLD} = sub { syswrite($wake_w, 'c'); };

binmode STDIN;
binmode STDOUT;
# A copy of the event pipe for a child to report a failed start on (closed on exec).
open(my $EVENTS, '>&', \*STDOUT) or die "spawner: dup: $!\n";
my %kids;   # pid -> task id
my %task_of;   # pid -> the task's "MESOS_TASK_ID=..." environment entry

# PR_SET_CHILD_SUBREAPER (36) through prctl's system call number on this machine, if known.
my %SYS_PRCTL = (x86_64 => 157, aarch64 => 167, armv7l => 172, i686 => 172, ppc64le => 171, s390x => 172);
my $SUBREAPER = 0;
if (defined(my $nr = $SYS_PRCTL{(POSIX::uname())[4]})) {
  $SUBREAPER = syscall($nr, 36, 1, 0, 0, 0) == 0;
}
my $in = '';

sub report {
  my ($line) = @_;
  my $off = 0;
  while ($off < length $line) {
    my $n = syswrite(STDOUT, $line, length($line) - $off, $off);
    if (!defined $n) {
      next if $!{EINTR} || $!{EAGAIN};
      exit 0;   # the runner is gone
    }
    $off += $n;
  }
}

sub one_line {
  my ($text) = @_;
  $text =~ s/[\r\n]+/ /g;
  return $text;
}

# The pids of this process's children (orphans re-parented to it among them).
sub children {
  if (open(my $f, '<', "/proc/$$/task/$$/children")) {
    my $line = <$f> // '';
    close $f;
    return split ' ', $line;
  }
  my @pids;
  opendir(my $d, '/proc') or return ();
  for my $pid (grep { /^\d+$/ } readdir $d) {
    open(my $st, '<', "/proc/$pid/stat") or next;
    my $line = <$st> // '';
    close $st;
    my @f = split / /, substr($line, rindex($line, ')') + 2);
    push @pids, $pid if defined $f[1] && $f[1] == $$;
  }
  closedir $d;
  return @pids;
}

# Stops $pid and its descendants (so none forks on), then kills them all.
sub kill_tree {
  my ($pid) = @_;
  my @tree = ($pid);
  my %seen;
  for (my $i = 0; $i < @tree; $i++) {
    my $p = $tree[$i];
    next if $seen{$p}++;
    kill('STOP', $p);
    if (open(my $f, '<', "/proc/$p/task/$p/children")) {
      my $line = <$f> // '';
      close $f;
      push @tree, split ' ', $line;
    }
  }
  kill('KILL', keys %seen);
}

# Kills the orphans (children that are no task's own process) that the ended task $marker left.
sub kill_orphans_of {
  my ($marker) = @_;
  return unless $SUBREAPER && defined $marker;
  for my $pid (children()) {
    next if exists $kids{$pid};
    open(my $f, '<', "/proc/$pid/environ") or next;
    local $/;
    my $environ = <$f> // '';
    close $f;
    kill_tree($pid) if index("\0$environ", "\0$marker\0") >= 0;
  }
}

# wait4(2) through its system call number on this machine, if known: it also tells a child's peak
# resident memory (its own or that of a descendant it waited for).
my %SYS_WAIT4 = (x86_64 => 61, aarch64 => 260);
my $WAIT4 = $SYS_WAIT4{(POSIX::uname())[4]};

# Reaps a child that ended: (pid, wait status, peak resident memory in KiB or -1); pid <= 0 when none.
sub reap_one {
  if (defined $WAIT4) {
    my $status = pack('i', 0);
    my $usage = "\0" x 256;
    my $pid = syscall($WAIT4, -1, $status, POSIX::WNOHANG(), $usage);
    return ($pid, unpack('i', $status), unpack('q', substr($usage, 32, 8)));
  }
  my $pid = waitpid(-1, POSIX::WNOHANG());
  return ($pid, $?, -1);
}

sub reap {
  while (1) {
    my ($pid, $status, $peak_kib) = reap_one();
    last unless $pid > 0;
    my $id = delete $kids{$pid};
    next unless defined $id;
    # The orphans first, while their descendants are still theirs; then what else is left of the
    # task's own process group.
    kill_orphans_of(delete $task_of{$pid});
    kill('KILL', -$pid);
    my $code = ($status & 127) ? 128 + ($status & 127) : ($status >> 8);
    report("E $id $code $peak_kib\n");
  }
}

# mkdir -p: true when $dir is a directory afterwards.
sub make_dir {
  my ($dir) = @_;
  return 1 if mkdir($dir) || $!{EEXIST} && -d $dir;
  return 0 unless $!{ENOENT};
  my $parent = $dir;
  return 0 unless $parent =~ s{/+[^/]+/*$}{} && length $parent;
  make_dir($parent) or return 0;
  return mkdir($dir) || $!{EEXIST} && -d $dir;
}

# Runs in the forked child; never returns.
sub child {
  my ($id, $dir, $env, $argv, $events) = @_;
  $SIG{$_} = 'DEFAULT' for @FORWARDED, 'CHLD';
  my $fail = sub {
    my $text = one_line("Failed to start command: $_[0]");
    if (open(my $err, '>>', "$dir/stderr")) { print $err "$text\n"; close $err; }
    syswrite($events, "X $id $text\n");
    POSIX::_exit(127);
  };
  POSIX::setsid();
  make_dir($dir) or $fail->("cannot create the sandbox $dir: $!");
  my $started = 0;
  if (open(my $self, '<', '/proc/self/stat')) {
    my $line = <$self>;
    close $self;
    my @f = split / /, substr($line, rindex($line, ')') + 2);
    $started = $BOOT_MILLIS + int($f[19] * 1000 / $CLK_TCK) if $BOOT_MILLIS && defined $f[19];
  }
  if (open(my $pidf, '>', "$dir/.runner-pid")) { print $pidf "$$ $started\n"; close $pidf; }
  open(STDIN, '<', '/dev/null') or $fail->("/dev/null: $!");
  open(STDOUT, '>', "$dir/stdout") or $fail->("$dir/stdout: $!");
  open(STDERR, '>', "$dir/stderr") or $fail->("$dir/stderr: $!");
  chdir($dir) or $fail->("cannot enter the sandbox $dir: $!");
  while (my ($k, $v) = each %$env) { $ENV{$k} = $v; }
  { no warnings 'exec'; exec { $argv->[0] } @$argv; }
  $fail->("$argv->[0]: $!");
}

sub launch {
  my ($f) = @_;
  my (undef, $id, $dir, $nenv) = splice(@$f, 0, 4);
  my %env = splice(@$f, 0, 2 * $nenv);
  my $nargv = shift @$f;
  my @argv = splice(@$f, 0, $nargv);
  my $pid = fork();
  if (!defined $pid) {
    report(one_line("X $id Failed to start command: cannot fork: $!") . "\n");
    report("E $id 127\n");
    return;
  }
  if ($pid == 0) {
    close $wake_r;
    close $wake_w;
    child($id, $dir, \%env, \@argv, $EVENTS);
  }
  $kids{$pid} = $id;
  $task_of{$pid} = "MESOS_TASK_ID=$env{MESOS_TASK_ID}" if defined $env{MESOS_TASK_ID};
  report("S $id $pid\n");
}

sub signal_groups {
  my ($f) = @_;
  my (undef, $signal, @groups) = @$f;
  kill($signal, map { -$_ } grep { /^\d+$/ && $_ > 1 } @groups);
}

# Records: "<byte length>\n" then the fields joined by NUL.
sub next_record {
  my $nl = index($in, "\n");
  return undef if $nl < 0;
  my $len = substr($in, 0, $nl);
  die "spawner: bad record header '$len'\n" unless $len =~ /^\d+$/;
  return undef if length($in) < $nl + 1 + $len;
  my $record = substr($in, $nl + 1, $len);
  substr($in, 0, $nl + 1 + $len) = '';
  return [split /\0/, $record, -1];
}

report("READY $$\n");
while (1) {
  my $rin = '';
  vec($rin, fileno(STDIN), 1) = 1;
  vec($rin, fileno($wake_r), 1) = 1;
  my $n = select(my $rout = $rin, undef, undef, undef);
  if ($n > 0 && vec($rout, fileno($wake_r), 1)) {
    1 while sysread($wake_r, my $drain, 4096);
  }
  reap();
  next unless $n > 0 && vec($rout, fileno(STDIN), 1);
  my $r = sysread(STDIN, $in, 1 << 16, length $in);
  if (!defined $r) {
    next if $!{EINTR} || $!{EAGAIN};
    last;
  }
  last if $r == 0;
  while (defined(my $f = next_record())) {
    if ($f->[0] eq 'L') { launch($f); }
    elsif ($f->[0] eq 'K') { signal_groups($f); }
    else { die "spawner: unknown record '$f->[0]'\n"; }
  }
}
reap();
exit 0;
