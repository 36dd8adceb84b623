package dev.plainsight;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.plainsight.testing.OriginServer;
import dev.plainsight.testing.RunningPlainsight;
import dev.plainsight.testing.TestPki;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stopping and starting Plainsight on the same CA directory: learners who trusted its CA once keep
 * trusting the same one, and the key stays owner-only.
 */
class RestartTest {
  @TempDir Path dir;

  @Test
  void aRestartLoadsTheSameCaAndLeavesItsFilesUntouched() throws Exception {
    String fingerprint;
    byte[] certificate;
    byte[] key;
    try (RunningPlainsight first = RunningPlainsight.start(dir, null, List.of())) {
      fingerprint = first.app().ca().sha256Fingerprint();
      certificate = Files.readAllBytes(caFile("ca.pem"));
      key = Files.readAllBytes(caFile("ca-key.pem"));
    }
    try (RunningPlainsight second = RunningPlainsight.start(dir, null, List.of())) {
      assertEquals(fingerprint, second.app().ca().sha256Fingerprint());
      assertArrayEquals(certificate, Files.readAllBytes(caFile("ca.pem")));
      assertArrayEquals(key, Files.readAllBytes(caFile("ca-key.pem")));
    }
  }

  @Test
  void theCaKeyIsOwnerOnlyAndTheCertificatePublic() throws Exception {
    try (RunningPlainsight plainsight = RunningPlainsight.start(dir, null, List.of())) {
      assertEquals("rw-------",
          PosixFilePermissions.toString(Files.getPosixFilePermissions(caFile("ca-key.pem"))));
      assertEquals("rw-r--r--",
          PosixFilePermissions.toString(Files.getPosixFilePermissions(caFile("ca.pem"))));
    }
    try (RunningPlainsight restarted = RunningPlainsight.start(dir, null, List.of())) {
      assertEquals("rw-------",
          PosixFilePermissions.toString(Files.getPosixFilePermissions(caFile("ca-key.pem"))),
          "a restart does not loosen the key's permissions");
    }
  }

  @Test
  void aClientThatTrustedTheCaBeforeARestartIsStillInterceptedAfterIt() throws Exception {
    TestPki pki = TestPki.create("Restart Origin CA");
    try (OriginServer origin = OriginServer.https(pki.issue("127.0.0.1").serverContext())) {
      X509Certificate trusted;
      try (RunningPlainsight first = RunningPlainsight.start(dir, pki, List.of())) {
        trusted = first.app().ca().certificate();
      }
      try (RunningPlainsight second = RunningPlainsight.start(dir, pki, List.of())) {
        String url = origin.url("/hello");
        HttpResponse<String> response = second.client(RunningPlainsight.trusting(trusted)).send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals("hello from the origin\n", response.body());
        assertEquals("https-decrypted", second.awaitFlow(f -> url.equals(f.url())).kind().wire());
      }
    }
  }

  @Test
  void stoppingReleasesBothPortsForTheNextStart() throws Exception {
    int proxyPort;
    int dashboardPort;
    try (RunningPlainsight plainsight = RunningPlainsight.start(dir, null, List.of())) {
      proxyPort = plainsight.proxyPort();
      dashboardPort = plainsight.app().dashboardPort();
    }
    for (int port : new int[] {proxyPort, dashboardPort}) {
      try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
        assertEquals(port, again.getLocalPort());
      }
    }
  }

  private Path caFile(String name) {
    return dir.resolve("ca").resolve(name);
  }
}
