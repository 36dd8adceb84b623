package dev.plainsight.replay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plainsight.flow.Body;
import dev.plainsight.flow.CapturedRequest;
import dev.plainsight.flow.Header;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Copy as curl: every argument survives a real shell exactly. */
class CurlCommandTest {
  static CapturedRequest request(String method, String url, List<Header> headers, byte[] body) {
    return new CapturedRequest(method, url, "HTTP/1.1", headers, new Body(body, body.length, false));
  }

  @Test
  void aPlainGetIsJustCurlAndTheQuotedUrl() {
    assertEquals("curl 'http://a.example/x?y=1' -H 'Accept: */*'", CurlCommand.of(request("GET",
        "http://a.example/x?y=1", List.of(new Header("Host", "a.example"), new Header("Accept", "*/*"),
            new Header("Proxy-Connection", "keep-alive")), new byte[0])));
  }

  @Test
  void singleQuotesAreClosedEscapedAndReopened() {
    assertEquals("'it'\\''s'", CurlCommand.quote("it's"));
  }

  @Test
  void quotesDollarsBackticksAndNewlinesReachCurlUnchanged() throws Exception {
    String nasty = "a'b\"c $HOME `id` \\n\nline two; rm -rf / #";
    String command = CurlCommand.of(request("PUT", "http://a.example/p", List.of(
        new Header("X-Note", "it's $HOME")), nasty.getBytes(StandardCharsets.UTF_8)));
    List<String> args = argsAsTheShellSeesThem(command);
    assertEquals(List.of("curl", "-X", "PUT", "http://a.example/p", "-H", "X-Note: it's $HOME",
        "--data-binary", nasty), args);
  }

  @Test
  void aBinaryBodyIsPipedFromPrintfByteForByte() throws Exception {
    byte[] body = new byte[256];
    for (int i = 0; i < body.length; i++) {
      body[i] = (byte) i;
    }
    String command = CurlCommand.of(request("POST", "http://a.example/upload", List.of(), body));
    assertTrue(command.startsWith("printf '"), command);
    assertTrue(command.endsWith("--data-binary @-"), command);
    String printf = command.substring(0, command.indexOf(" | "));
    assertArrayEquals(body, shell(printf));
  }

  @Test
  void aTruncatedBodySaysSoInACommentLine() {
    CapturedRequest cut = new CapturedRequest("POST", "http://a.example/", "HTTP/1.1", List.of(),
        new Body("abc".getBytes(StandardCharsets.UTF_8), 10, true));
    assertTrue(CurlCommand.of(cut).startsWith("# only 3 of 10 body bytes were captured"));
  }

  /** The arguments sh passes to curl, with curl replaced by a printer of its argv. */
  static List<String> argsAsTheShellSeesThem(String command) throws Exception {
    String printed = new String(shell("curl() { printf '%s\\0' curl \"$@\"; }; " + command),
        StandardCharsets.UTF_8);
    return List.of(printed.substring(0, printed.length() - 1).split("\0", -1));
  }

  static byte[] shell(String script) throws IOException, InterruptedException {
    Process process = new ProcessBuilder("sh", "-c", script).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream in = process.getInputStream()) {
      in.transferTo(out);
    }
    assertTrue(process.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, process.exitValue(), script);
    return out.toByteArray();
  }
}
