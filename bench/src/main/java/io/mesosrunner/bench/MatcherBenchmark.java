package io.mesosrunner.bench;

import com.netflix.fenzo.SchedulingResult;
import io.mesosrunner.match.MatchResult;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One whole matching call per invocation (single-shot: a call is the unit the scheduler pays
 * for), on the same {@link Workload}: our matcher, Fenzo's bin-packing {@code scheduleOnce}, and a
 * bare first-fit-decreasing loop over primitive arrays. Select sizes with {@code -p size=...}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class MatcherBenchmark {

  /** INSTANCESxOFFERS. */
  @Param({"1000x100", "10000x1000", "100000x10000"})
  public String size;

  private Workload workload;
  private FenzoPeer.Input fenzoInput;

  @Setup(Level.Trial)
  public void setUp() {
    workload = Workload.parse(size);
    fenzoInput = FenzoPeer.input(workload);
  }

  @Benchmark
  public MatchResult ours() {
    return Ours.match(workload);
  }

  @Benchmark
  public SchedulingResult fenzo() {
    return FenzoPeer.schedule(fenzoInput);
  }

  @Benchmark
  public int[] bareFfd() {
    return BareFfd.place(workload.offerCpus, workload.offerMem, workload.demandCpus, workload.demandMem);
  }
}
