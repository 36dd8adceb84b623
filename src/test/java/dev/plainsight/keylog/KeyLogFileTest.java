package dev.plainsight.keylog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The key log file itself: owner-only, appended, whole lines, nothing but NSS lines. */
class KeyLogFileTest {
  @TempDir Path dir;

  @Test
  void aNewFileIsCreatedOwnerOnlyAndAnExistingOneIsTightenedAndAppendedTo() throws Exception {
    Path fresh = dir.resolve("new.keys");
    try (KeyLog log = KeyLog.open(fresh)) {
      log.write("CLIENT_RANDOM", new byte[32], new byte[48]);
    }
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh)));

    Path shared = dir.resolve("browser.keys");
    Files.writeString(shared, "CLIENT_RANDOM " + "ab".repeat(32) + " " + "cd".repeat(48) + "\n");
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rw-r--r--"));
    try (KeyLog log = KeyLog.open(shared)) {
      log.write("CLIENT_TRAFFIC_SECRET_0", new byte[32], new byte[32]);
    }
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(shared)));
    List<String> lines = Files.readAllLines(shared);
    assertEquals(2, lines.size(), "appended, not truncated: " + lines);
    assertTrue(lines.get(1).startsWith("CLIENT_TRAFFIC_SECRET_0 " + "00".repeat(32) + " "));
  }

  @Test
  void concurrentConnectionsNeverInterleaveALine() throws Exception {
    Path file = dir.resolve("busy.keys");
    int threads = 8;
    int each = 2_000;
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> writers = new ArrayList<>();
    try (KeyLog log = KeyLog.open(file)) {
      for (int t = 0; t < threads; t++) {
        byte fill = (byte) t;
        Thread writer = new Thread(() -> {
          byte[] random = new byte[32];
          byte[] secret = new byte[48];
          java.util.Arrays.fill(random, fill);
          java.util.Arrays.fill(secret, fill);
          try {
            go.await();
          } catch (InterruptedException e) {
            return;
          }
          for (int i = 0; i < each; i++) {
            log.write("CLIENT_RANDOM", random, secret);
          }
        });
        writer.start();
        writers.add(writer);
      }
      go.countDown();
      for (Thread writer : writers) {
        writer.join();
      }
    }
    List<String> lines = Files.readAllLines(file);
    assertEquals(threads * each, lines.size());
    for (String line : lines) {
      String[] parts = line.split(" ");
      assertTrue(NssLine.isWellFormed(line) && parts[1].equals(parts[1].substring(0, 2).repeat(32))
          && parts[2].equals(parts[1].substring(0, 2).repeat(48)), "a whole line: " + line);
    }
  }

  @Test
  void aLineFromTheNativeCallbackIsWrittenOnlyWhenItIsAnNssLine() throws Exception {
    Path file = dir.resolve("native.keys");
    String good = "SERVER_TRAFFIC_SECRET_0 " + "12".repeat(32) + " " + "34".repeat(32);
    try (KeyLog log = KeyLog.open(file)) {
      log.writeLine(good.getBytes(StandardCharsets.US_ASCII));
      log.writeLine(("CLIENT_RANDOM " + "12".repeat(32) + " 34\nINJECTED x y")
          .getBytes(StandardCharsets.US_ASCII));
      log.writeLine("not a key log line".getBytes(StandardCharsets.US_ASCII));
    }
    assertEquals(List.of(good), Files.readAllLines(file));
  }

  @Test
  void offWritesNothingAndHasNoFile() {
    KeyLog off = KeyLog.off();
    off.write("CLIENT_RANDOM", new byte[32], new byte[48]);
    assertNull(off.file());
  }

  @Test
  void theTls13KeyScheduleIsRecognisedByItsHkdfLabel() {
    assertEquals(NssLine.CLIENT_HANDSHAKE, label(hkdfInput("tls13 c hs traffic", 32)));
    assertEquals(NssLine.SERVER_TRAFFIC, label(hkdfInput("tls13 s ap traffic", 48)));
    assertNull(label(hkdfInput("tls13 key", 0)), "a traffic key is no secret");
    assertNull(label(hkdfInput("tls13 derived", 32)));
    byte[] truncated = hkdfInput("tls13 c ap traffic", 32);
    assertNull(Tls13Labels.nssLabel(truncated, truncated.length - 1), "no counter byte");
    byte[] record = HexFormat.of().parseHex("0102030405060708");
    assertNull(Tls13Labels.nssLabel(record, record.length), "an HMAC over anything else");
  }

  @Test
  void theClientRandomIsReadFromTheClientHelloRecord() {
    byte[] hello = new byte[64];
    hello[0] = 22;
    hello[5] = 1;
    for (int i = 0; i < 32; i++) {
      hello[11 + i] = (byte) (i + 1);
    }
    ByteBuffer buffer = ByteBuffer.wrap(hello);
    assertEquals(1, ClientRandom.fromHello(buffer)[0]);
    assertEquals(32, ClientRandom.fromHello(buffer)[31]);
    assertEquals(0, buffer.position(), "the buffer is left alone");
    hello[5] = 2; // a ServerHello
    assertNull(ClientRandom.fromHello(ByteBuffer.wrap(hello)));
  }

  private static String label(byte[] input) {
    return Tls13Labels.nssLabel(input, input.length);
  }

  /** The bytes HKDF-Expand-Label hands its HMAC: HkdfLabel, then the counter 0x01. */
  private static byte[] hkdfInput(String label, int contextLength) {
    byte[] name = label.getBytes(StandardCharsets.US_ASCII);
    ByteBuffer input = ByteBuffer.allocate(2 + 1 + name.length + 1 + contextLength + 1);
    input.putShort((short) 32).put((byte) name.length).put(name).put((byte) contextLength);
    input.put(new byte[contextLength]).put((byte) 1);
    return input.array();
  }
}
