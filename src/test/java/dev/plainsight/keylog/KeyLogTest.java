package dev.plainsight.keylog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plainsight.Main;
import dev.plainsight.testing.Curl;
import dev.plainsight.testing.OriginServer;
import dev.plainsight.testing.LoopbackCapture;
import dev.plainsight.testing.TestPki;
import dev.plainsight.testing.Tshark;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The key log as a trainer uses it: the real command line in its own process (BoringSSL, or the
 * JDK's TLS when Netty is told not to load BoringSSL), curl with TLS 1.2 and with TLS 1.3 through
 * it to HTTPS origins made here (one TLS 1.2 only), tcpdump on loopback, then tshark with the key
 * log. curl writes its own key log (SSLKEYLOGFILE), which is the truth for the client leg; the
 * lines Plainsight wrote for other client randoms are the upstream leg's.
 */
class KeyLogTest {
  private static final Pattern NSS = Pattern.compile("([A-Z0-9_]+) ([0-9a-f]{64}) ([0-9a-f]+)");
  private static final Set<String> TLS13 = Set.of("CLIENT_HANDSHAKE_TRAFFIC_SECRET",
      "SERVER_HANDSHAKE_TRAFFIC_SECRET", "CLIENT_TRAFFIC_SECRET_0", "SERVER_TRAFFIC_SECRET_0");
  private static final Set<String> TLS12 = Set.of("CLIENT_RANDOM");

  enum Engine { BORINGSSL, JDK }

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(Engine.class)
  void bothLegsOfTls12AndTls13AreLoggedAndTsharkDecryptsThem(Engine engine) throws Exception {
    TestPki pki = TestPki.create("Key Log Origin CA");
    TestPki.ServerIdentity identity = pki.issue("127.0.0.1", "localhost");
    Path keyLog = dir.resolve("plainsight.keys");
    Path decoy = dir.resolve("from-environment.keys");
    Path curlKeys = dir.resolve("curl.keys");
    if (engine == Engine.BORINGSSL) {
      // an existing file is appended to, and made owner-only
      Files.writeString(keyLog, "");
      Files.setPosixFilePermissions(keyLog, PosixFilePermissions.fromString("rw-r--r--"));
    }
    try (OriginServer tls12 = OriginServer.httpsTls12Only(identity.serverContext());
        OriginServer tls13 = OriginServer.https(identity.serverContext())) {
      List<String> command = new ArrayList<>(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString()));
      if (engine == Engine.JDK) {
        command.add("-Dio.netty.handler.ssl.noOpenSsl=true");
      }
      command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(),
          "--proxy-port", "0", "--dashboard-port", "0", "--ca-dir", dir.resolve("ca").toString(),
          "--data-dir", dir.resolve("data").toString(),
          "--upstream-ca", pki.writeCaPem(dir).toString()));
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      if (engine == Engine.BORINGSSL) {
        // the option wins over the environment
        command.addAll(List.of("--keylog", keyLog.toString()));
        builder.command(command).environment().put("SSLKEYLOGFILE", decoy.toString());
      } else {
        builder.environment().put("SSLKEYLOGFILE", keyLog.toString());
      }
      Process plainsight = builder.start();
      try {
        List<String> banner = readBanner(plainsight);
        String output = String.join("\n", banner);
        assertTrue(output.contains("KEY LOG:") && output.contains(keyLog.toString())
            && output.contains("anyone with this file can decrypt"), output);
        assertTrue(output.contains("TLS: " + (engine == Engine.JDK ? "JDK" : "BoringSSL")), output);
        assertEquals(engine == Engine.JDK, output.contains("(from SSLKEYLOGFILE)"), output);
        Matcher proxy = Pattern.compile("Proxy: +http://127\\.0\\.0\\.1:(\\d+)").matcher(output);
        assertTrue(proxy.find(), output);
        int proxyPort = Integer.parseInt(proxy.group(1));

        Path pcap = dir.resolve("lo.pcap");
        try (LoopbackCapture capture = LoopbackCapture.start(pcap, proxyPort, tls12.port(),
            tls13.port())) {
          request(proxyPort, curlKeys, tls12.url("/hello?leg=tls12"), "--tls-max", "1.2");
          request(proxyPort, curlKeys, tls13.url("/hello?leg=tls13"), "--tlsv1.3");
          // Plainsight resumes its TLS 1.2 session with the origin: no new master secret
          request(proxyPort, curlKeys, tls12.url("/hello?leg=resumed"), "--tls-max", "1.2");
          Thread.sleep(300);
          capture.stop();
        }

        assertEquals("rw-------",
            PosixFilePermissions.toString(Files.getPosixFilePermissions(keyLog)));
        assertFalse(Files.exists(decoy), "--keylog wins over SSLKEYLOGFILE");
        List<String> ours = Files.readAllLines(keyLog);
        for (String line : ours) {
          assertTrue(NSS.matcher(line).matches(), "an NSS key log line: " + line);
        }
        Map<String, Set<String>> ourLabels = labelsByRandom(ours);
        Map<String, Set<String>> curlLabels = labelsByRandom(Files.readAllLines(curlKeys));

        // the client leg: every secret curl logged, Plainsight logged too, line for line
        Set<String> ourLines = new HashSet<>(ours);
        for (String line : Files.readAllLines(curlKeys)) {
          String label = line.split(" ")[0];
          if (TLS12.contains(label) || TLS13.contains(label)) {
            assertTrue(ourLines.contains(line.toLowerCase(Locale.ROOT).replaceFirst("^[a-z0-9_]+",
                label)), "curl's " + line.substring(0, 50) + "... is in Plainsight's key log");
          }
        }
        assertEquals(3, curlLabels.size(), "two TLS 1.2 and one TLS 1.3 client: " + curlLabels);
        assertTrue(curlLabels.values().stream().anyMatch(l -> l.containsAll(TLS12)));
        assertTrue(curlLabels.values().stream().anyMatch(l -> l.containsAll(TLS13)));

        // the upstream leg: client randoms curl never used, one TLS 1.2 and one TLS 1.3
        Map<String, Set<String>> upstream = new HashMap<>(ourLabels);
        upstream.keySet().removeAll(curlLabels.keySet());
        assertTrue(upstream.values().stream().anyMatch(l -> l.containsAll(TLS12)),
            "a TLS 1.2 upstream leg: " + upstream);
        assertTrue(upstream.values().stream().anyMatch(l -> l.containsAll(TLS13)),
            "a TLS 1.3 upstream leg: " + upstream);

        // Wireshark's view: with the key log the requests show inside TLS on both legs
        String[] decodeAs = {"-d", "tcp.port==" + proxyPort + ",http",
            "-d", "tcp.port==" + tls12.port() + ",tls", "-d", "tcp.port==" + tls13.port() + ",tls",
            "-d", "tls.port==" + tls12.port() + ",http", "-d", "tls.port==" + tls13.port() + ",http"};
        String[] fields = {"-Y", "http.request && tls", "-T", "fields", "-e", "tcp.dstport",
            "-e", "http.request.uri"};
        Set<String> decrypted = new TreeSet<>(Arrays.asList(Tshark.read(pcap,
            concat(new String[] {"-o", "tls.keylog_file:" + keyLog}, decodeAs, fields))
            .split("\n")));
        assertTrue(decrypted.containsAll(Set.of(
            proxyPort + "\t/hello?leg=tls12", proxyPort + "\t/hello?leg=tls13",
            tls12.port() + "\t/hello?leg=tls12", tls13.port() + "\t/hello?leg=tls13",
            proxyPort + "\t/hello?leg=resumed", tls12.port() + "\t/hello?leg=resumed")),
            "both requests on both legs, decrypted: " + decrypted);
        String sealed = Tshark.read(pcap, concat(decodeAs, fields));
        assertEquals("", sealed.strip(), "without the key log nothing inside TLS is readable");
      } finally {
        plainsight.destroy();
        plainsight.waitFor(10, TimeUnit.SECONDS);
        plainsight.destroyForcibly();
      }
    }
  }

  private void request(int proxyPort, Path curlKeys, String url, String... version)
      throws Exception {
    List<String> args = new ArrayList<>(List.of("-sS", "--proxy", "http://127.0.0.1:" + proxyPort,
        "--cacert", dir.resolve("ca").resolve("ca.pem").toString()));
    args.addAll(List.of(version));
    args.add(url);
    Curl.Result result = Curl.runWithEnvironment(Map.of("SSLKEYLOGFILE", curlKeys.toString()),
        args.toArray(String[]::new));
    assertEquals(0, result.exitCode(), result.stderr());
    assertEquals("hello from the origin\n", result.stdout());
  }

  /** The banner, up to the key log warning's last line (or what came in 60 s). */
  private static List<String> readBanner(Process process) throws InterruptedException {
    List<String> lines = new CopyOnWriteArrayList<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader out = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = out.readLine()) != null; ) {
          lines.add(line);
        }
      } catch (java.io.IOException ignored) {
        // the process ended
      }
    }, "plainsight-output");
    reader.setDaemon(true);
    reader.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline && lines.stream().noneMatch(l -> l.contains("TLS: "))
        && process.isAlive()) {
      Thread.sleep(50);
    }
    return List.copyOf(lines);
  }

  private static Map<String, Set<String>> labelsByRandom(List<String> lines) {
    return lines.stream().map(NSS_ANY_CASE::matcher).filter(Matcher::matches)
        .collect(Collectors.groupingBy(m -> m.group(2).toLowerCase(Locale.ROOT),
            Collectors.mapping(m -> m.group(1), Collectors.toSet())));
  }

  private static final Pattern NSS_ANY_CASE =
      Pattern.compile("([A-Z0-9_]+) ([0-9a-fA-F]{64}) ([0-9a-fA-F]+)");

  private static String[] concat(String[]... parts) {
    return Arrays.stream(parts).flatMap(Arrays::stream).toArray(String[]::new);
  }
}
