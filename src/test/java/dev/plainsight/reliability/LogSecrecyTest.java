package dev.plainsight.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowKind;
import dev.plainsight.testing.Curl;
import dev.plainsight.testing.OriginServer;
import dev.plainsight.testing.RunningPlainsight;
import dev.plainsight.testing.StderrCapture;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Captured secrets stay in the store: requests carrying a password, a Basic credential and a
 * session cookie (answered, failed upstream, malformed) are all captured, and the log, where
 * errors and refusals get one line each, names none of them.
 */
class LogSecrecyTest {
  static final String PASSWORD = "hunter2-never-logged";
  static final String COOKIE = "session=cookie-never-logged";
  static final String BASIC = Base64.getEncoder()
      .encodeToString("alice:basic-never-logged".getBytes(StandardCharsets.UTF_8));

  @TempDir Path dir;

  @Test
  void theLogNamesNoPasswordCookieOrCredentialOfWhatWasCaptured() throws Exception {
    String log;
    String answered;
    String failed;
    try (StderrCapture stderr = StderrCapture.start();
        OriginServer origin = OriginServer.http();
        RunningPlainsight plainsight = RunningPlainsight.start(dir, null, List.of())) {
      answered = origin.url("/echo?answered");
      send(plainsight, answered);
      int deadPort;
      try (ServerSocket closed = new ServerSocket(0)) {
        deadPort = closed.getLocalPort();
      }
      failed = "http://127.0.0.1:" + deadPort + "/login?failed";
      send(plainsight, failed);
      try (Socket raw = new Socket("127.0.0.1", plainsight.proxyPort())) {
        OutputStream out = raw.getOutputStream();
        out.write(("POST " + origin.url("/echo?malformed") + " HTTP/1.1\r\nHost: x\r\n"
            + "Cookie: " + COOKIE + "\r\nAuthorization: Basic " + BASIC + "\r\n"
            + "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        raw.getInputStream().read();
      }

      Flow ok = plainsight.awaitFlow(f -> answered.equals(f.url()));
      assertTrue(new String(ok.request().body().captured(), StandardCharsets.UTF_8)
          .contains(PASSWORD), "the secret was captured");
      Flow error = plainsight.awaitFlow(f -> failed.equals(f.url()));
      assertEquals(FlowKind.ERROR, error.kind());
      plainsight.awaitFlow(f -> f.kind() == FlowKind.ERROR && f.error() != null
          && f.error().contains("malformed"));
      log = stderr.text();
    }
    assertTrue(log.contains(failed), "the failure has its log line:\n" + log);
    for (String secret : List.of(PASSWORD, "cookie-never-logged", BASIC, "basic-never-logged")) {
      assertFalse(log.contains(secret), secret + " leaked into the log:\n" + log);
    }
  }

  private static void send(RunningPlainsight plainsight, String url) throws Exception {
    Curl.run("-s", "-o", "/dev/null", "-x", plainsight.proxyUrl(), "-H", "Cookie: " + COOKIE,
        "-H", "Authorization: Basic " + BASIC, "--data-binary", "user=alice&password=" + PASSWORD,
        url);
  }
}
