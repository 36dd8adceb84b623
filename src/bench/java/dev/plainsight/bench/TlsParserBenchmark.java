package dev.plainsight.bench;

import dev.plainsight.tls.Direction;
import dev.plainsight.tls.TlsObservation;
import dev.plainsight.tls.TlsObserver;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What the TLS tap costs: parsing a real Chromium ClientHello (1.7 KB, post-quantum key share),
 * and counting 16 KiB of application data in a direct buffer once the handshake is over.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TlsParserBenchmark {
  private byte[] clientHello;
  private ByteBuffer applicationData;

  @Setup
  public void load() throws IOException {
    try (InputStream in = getClass().getResourceAsStream("/tls/client-hello-chromium.bin")) {
      clientHello = in.readAllBytes();
    }
    applicationData = ByteBuffer.allocateDirect(5 + 16384);
    applicationData.put(new byte[] {0x17, 0x03, 0x03, 0x40, 0x00});
    applicationData.position(0);
  }

  @Benchmark
  public TlsObservation parseAChromiumClientHello() {
    TlsObserver observer = new TlsObserver();
    observer.onBytes(Direction.CLIENT_TO_SERVER, clientHello, 0, clientHello.length, 0);
    return observer.snapshot();
  }

  @Benchmark
  public TlsObserver countSixteenKibOfApplicationData() {
    TlsObserver observer = new TlsObserver();
    observer.onBytes(Direction.SERVER_TO_CLIENT, applicationData.duplicate(), 0);
    return observer;
  }
}
