# The local cluster's process spawner (see PerlProcessStarter.java for the protocol).
#
# One of these runs beside the runner. It forks every task's process, makes it the leader of a
# new session and process group, sets up its sandbox and execs it: one fork and one exec per
# task, the least a shell pays too. It reaps the tasks and reports how they ended, and signals
# process groups on request. It ignores the terminal's signals (the runner decides when tasks
# die) and exits when its input closes: the tasks then live on in their own sessions, and the
# next runner finds them through their .runner-pid files.
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

sub reap {
  while ((my $pid = waitpid(-1, POSIX::WNOHANG())) > 0) {
    my $id = delete $kids{$pid};
    next unless defined $id;
    my $status = $?;
    my $code = ($status & 127) ? 128 + ($status & 127) : ($status >> 8);
    report("E $id $code\n");
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
