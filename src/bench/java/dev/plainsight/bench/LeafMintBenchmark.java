package dev.plainsight.bench;

import dev.plainsight.ca.CaException;
import dev.plainsight.ca.LeafMinter;
import dev.plainsight.ca.RootCa;
import java.io.IOException;
import java.nio.file.Files;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** What a new host costs: minting a leaf with the shared key, and a cache hit. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LeafMintBenchmark {
  private final AtomicLong hosts = new AtomicLong();
  private LeafMinter minter;

  @Setup
  public void createCa() throws IOException, CaException {
    minter = new LeafMinter(RootCa.loadOrCreate(Files.createTempDirectory("jmh-ca")), 1024);
    minter.chainFor("cached.example");
  }

  @Benchmark
  public X509Certificate[] mintForANewHost() {
    return minter.chainFor("h" + hosts.incrementAndGet() + ".mint.example");
  }

  @Benchmark
  public X509Certificate[] cachedHost() {
    return minter.chainFor("cached.example");
  }
}
