package io.mesosrunner.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.mesosrunner.schedule.AttemptRecord.EndCause;
import io.mesosrunner.schedule.Outcome;
import io.mesosrunner.cluster.TaskState;
import io.mesosrunner.state.JournalRecord.FrameworkRegistered;
import io.mesosrunner.state.JournalRecord.InstanceCompleted;
import io.mesosrunner.state.JournalRecord.InstanceFailed;
import io.mesosrunner.state.JournalRecord.RunEnded;
import io.mesosrunner.state.JournalRecord.RunStarted;
import io.mesosrunner.state.JournalRecord.TaskLaunched;
import io.mesosrunner.state.JournalRecord.TaskStateChanged;
import java.io.IOException;
import java.nio.file.Path;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The streaming journal JSON is byte for byte what the databind-based journal wrote, both ways. */
class JournalJsonProperties {

  private static final Path FILE = Path.of("journal.log");

  @Property(tries = 2000)
  void writesTheBytesDatabindWrote(@ForAll("records") JournalRecord record) throws IOException {
    assertThat(new String(JournalJson.write(record), "UTF-8"))
        .isEqualTo(new String(DatabindJournalFormat.write(record), "UTF-8"));
  }

  @Property(tries = 2000)
  void readsWhatDatabindWrote(@ForAll("records") JournalRecord record) throws IOException {
    byte[] old = DatabindJournalFormat.write(record);
    byte[] framed = new byte[old.length + 7];
    System.arraycopy(old, 0, framed, 3, old.length);
    assertThat(JournalJson.read(FILE, 0, framed, 3, old.length)).isEqualTo(record);
  }

  @Property(tries = 500)
  void databindReadsWhatIsWrittenNow(@ForAll("records") JournalRecord record) throws IOException {
    assertThat(DatabindJournalFormat.read(JournalJson.write(record))).isEqualTo(record);
  }

  @Provide
  Arbitrary<JournalRecord> records() {
    Arbitrary<String> text = Arbitraries.oneOf(
        Arbitraries.strings().ofMinLength(1).ofMaxLength(40).filter(s -> !s.isBlank()),
        Arbitraries.strings().all().ofMinLength(1).ofMaxLength(20).filter(s -> !s.isBlank()),
        Arbitraries.of("local", "hello.0.1.r1", "ünïcødé \"quoted\"\n\t\\", "</script>", "\u2028\u0000\uD83D\uDE00"));
    Arbitrary<String> maybe = Arbitraries.oneOf(text, Arbitraries.just(null),
        Arbitraries.strings().all().ofMaxLength(200));
    Arbitrary<Long> at = Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.of(0L, Long.MIN_VALUE, Long.MAX_VALUE));
    Arbitrary<Integer> index = Arbitraries.integers().between(0, Integer.MAX_VALUE);
    Arbitrary<Integer> positive = Arbitraries.integers().between(1, Integer.MAX_VALUE);
    Arbitrary<Integer> exit = Arbitraries.oneOf(Arbitraries.integers(), Arbitraries.just(null));
    Arbitrary<String> state = Arbitraries.of(TaskState.class).map(Enum::name);
    Arbitrary<String> cause = Arbitraries.oneOf(Arbitraries.of(EndCause.class).map(Enum::name), Arbitraries.just(null));
    Arbitrary<String> outcome = Arbitraries.of(Outcome.class).map(Enum::name);

    Arbitrary<JournalRecord> started = Combinators.combine(text, text, text, text, maybe, text, at, positive)
        .flatAs((runId, job, file, sha, git, cluster, t, n) -> maybe.map(
            jobText -> new RunStarted(runId, job, file, sha, git, cluster, t, n, jobText)));
    Arbitrary<JournalRecord> registered = text.map(FrameworkRegistered::new);
    Arbitrary<JournalRecord> launched = Combinators.combine(text, index, positive, text, maybe, at)
        .as(TaskLaunched::new);
    Arbitrary<JournalRecord> changed = Combinators.combine(text, state, exit, maybe, cause, at)
        .as(TaskStateChanged::new);
    Arbitrary<JournalRecord> completed = Combinators.combine(index, text, at).as(InstanceCompleted::new);
    Arbitrary<JournalRecord> failed = Combinators.combine(index, text, at).as(InstanceFailed::new);
    Arbitrary<JournalRecord> ended = Combinators.combine(outcome, maybe, at).as(RunEnded::new);
    Arbitrary<JournalRecord> carried = Combinators.combine(text,
        Arbitraries.integers().between(0, 1000).set().ofMaxSize(20).ofMinSize(1), at)
        .as((run, set, t) -> new JournalRecord.InstancesCarriedOver(run,
            io.mesosrunner.schedule.IndexRanges.format(set.stream().sorted().toList()), t));
    Arbitrary<Long> milli = Arbitraries.longs().between(0, Long.MAX_VALUE);
    Arbitrary<Integer> count = Arbitraries.integers().between(0, Integer.MAX_VALUE);
    Arbitrary<JournalRecord> utilisation = Combinators.combine(at, milli, milli, count, count, maybe)
        .as(JournalRecord.Utilisation::new);
    Arbitrary<JournalRecord> tail = Combinators.combine(text, Arbitraries.strings().all().ofMaxLength(300))
        .as(JournalRecord.StderrTail::new);
    Arbitrary<String> source = Arbitraries.oneOf(Arbitraries.of(io.mesosrunner.cluster.TaskStatus.Source.class)
        .map(Enum::name), Arbitraries.just(null));
    Arbitrary<JournalRecord> reason = Combinators.combine(text, text, source, at)
        .as(JournalRecord.TaskReasonGiven::new);
    return Arbitraries.oneOf(started, registered, launched, changed, completed, failed, carried, ended, utilisation, tail,
        reason);
  }
}
