package dev.plainsight.capture;

import static dev.plainsight.testing.WebSocketFrames.BINARY;
import static dev.plainsight.testing.WebSocketFrames.CLOSE;
import static dev.plainsight.testing.WebSocketFrames.CONTINUATION;
import static dev.plainsight.testing.WebSocketFrames.PING;
import static dev.plainsight.testing.WebSocketFrames.TEXT;
import static dev.plainsight.testing.WebSocketFrames.concat;
import static dev.plainsight.testing.WebSocketFrames.deflate;
import static dev.plainsight.testing.WebSocketFrames.frame;
import static dev.plainsight.testing.WebSocketFrames.fromClient;
import static dev.plainsight.testing.WebSocketFrames.fromServer;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plainsight.flow.Flow;
import dev.plainsight.flow.FlowBuilder;
import dev.plainsight.flow.WebSocketMessage;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

/** Reading WebSocket messages from raw stream pieces, without sockets. */
class WebSocketCaptureTest {
  private static final Flow FLOW = new FlowBuilder().url("http://example.test/chat").status(101)
      .build().withId(7);
  private static final WebSocketCapture.Limits ROOMY = new WebSocketCapture.Limits(1024, 100,
      1 << 20);

  @Test
  void textAndBinaryMessagesAreReadBothWaysWithTheClientsMaskingUndone() {
    WebSocketCapture capture = new WebSocketCapture(FLOW, null, ROOMY);
    capture.read(fromClient(TEXT, "hello".getBytes(UTF_8)), true);
    capture.read(fromServer(BINARY, new byte[] {0, 1, (byte) 0xff}), false);

    List<WebSocketMessage> messages = capture.takeUpdate().messages();
    assertEquals(2, messages.size());
    assertMessage(messages.get(0), true, "text", "hello");
    assertEquals("binary", messages.get(1).type());
    assertFalse(messages.get(1).fromClient());
    assertArrayEquals(new byte[] {0, 1, (byte) 0xff}, messages.get(1).payload());
    assertNull(capture.takeUpdate(), "nothing new: no update");
  }

  @Test
  void aMessageSplitAcrossReadsByteByByteIsReadWholeWhateverItsLengthForm() {
    WebSocketCapture capture = new WebSocketCapture(FLOW, null,
        new WebSocketCapture.Limits(100_000, 100, 1 << 20));
    byte[] medium = repeat('m', 300);
    byte[] large = repeat('L', 70_000);
    byte[] stream = concat(fromClient(TEXT, "a".getBytes(UTF_8)), fromClient(TEXT, medium),
        fromClient(BINARY, large));
    for (byte b : stream) {
      capture.read(new byte[] {b}, true);
    }
    List<WebSocketMessage> messages = capture.takeUpdate().messages();
    assertEquals(3, messages.size());
    assertMessage(messages.get(0), true, "text", "a");
    assertArrayEquals(medium, messages.get(1).payload());
    assertEquals(70_000, messages.get(2).size());
    assertArrayEquals(large, messages.get(2).payload());
  }

  @Test
  void fragmentsAreJoinedAndAPingBetweenThemIsAMessageOfItsOwn() {
    WebSocketCapture capture = new WebSocketCapture(FLOW, null, ROOMY);
    capture.read(concat(
        frame(TEXT, false, false, false, "hel".getBytes(UTF_8)),
        frame(PING, true, false, false, "?".getBytes(UTF_8)),
        frame(CONTINUATION, false, false, false, "lo ".getBytes(UTF_8)),
        frame(CONTINUATION, true, false, false, "world".getBytes(UTF_8)),
        fromServer(CLOSE, concat(new byte[] {0x03, (byte) 0xe8}, "bye".getBytes(UTF_8)))), false);

    List<WebSocketMessage> messages = capture.takeUpdate().messages();
    assertEquals(List.of("ping", "text", "close"),
        messages.stream().map(WebSocketMessage::type).toList());
    assertMessage(messages.get(1), false, "text", "hello world");
    assertEquals(11, messages.get(1).size());
  }

  @Test
  void aMessageOverThePerMessageLimitKeepsItsFirstBytesAndCountsAll() {
    WebSocketCapture capture = new WebSocketCapture(FLOW, null,
        new WebSocketCapture.Limits(10, 100, 1 << 20));
    capture.read(fromClient(TEXT, repeat('x', 25)), true);

    WebSocketMessage message = capture.takeUpdate().messages().get(0);
    assertEquals(25, message.size());
    assertEquals(10, message.payload().length);
    assertTrue(message.truncated());
  }

  @Test
  void messagesBeyondTheCapAreCountedInOneOmittedEntryAndLaterPayloadsFitTheFlowBudget() {
    WebSocketCapture capture = new WebSocketCapture(FLOW, null,
        new WebSocketCapture.Limits(100, 3, 15));
    for (int i = 0; i < 5; i++) {
      capture.read(fromServer(TEXT, repeat('a', 10)), false);
    }
    List<WebSocketMessage> messages = capture.takeUpdate().messages();
    assertEquals(4, messages.size());
    assertEquals(10, messages.get(0).payload().length);
    assertEquals(5, messages.get(1).payload().length, "the flow's payload budget ran out");
    assertTrue(messages.get(1).truncated());
    assertEquals(0, messages.get(2).payload().length);
    assertTrue(messages.get(3).standsForOmitted());
    assertEquals(2, messages.get(3).size());
  }

  @Test
  void permessageDeflateIsUndoneAcrossMessagesThatShareTheirWindow() {
    WebSocketCapture capture = new WebSocketCapture(FLOW,
        "permessage-deflate; client_max_window_bits=15", ROOMY);
    Deflater serverSide = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    Deflater clientSide = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    for (String text : List.of("echo: the same words", "echo: the same words again")) {
      capture.read(frame(TEXT, true, true, false, deflate(serverSide, text.getBytes(UTF_8))),
          false);
    }
    capture.read(frame(TEXT, true, true, true, deflate(clientSide, "hi".getBytes(UTF_8))), true);
    capture.read(fromClient(BINARY, new byte[] {9}), true);

    List<WebSocketMessage> messages = capture.takeUpdate().messages();
    assertMessage(messages.get(0), false, "text", "echo: the same words");
    assertMessage(messages.get(1), false, "text", "echo: the same words again");
    assertEquals(26, messages.get(1).size(), "the size is the message's, not the compressed one");
    assertMessage(messages.get(2), true, "text", "hi");
    assertArrayEquals(new byte[] {9}, messages.get(3).payload(), "uncompressed: taken as is");
    capture.close();
  }

  @Test
  void withoutContextTakeoverEachMessageIsInflatedOnItsOwn() {
    WebSocketCapture capture = new WebSocketCapture(FLOW,
        "permessage-deflate; server_no_context_takeover", ROOMY);
    for (String text : List.of("first first first", "first first first")) {
      Deflater fresh = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
      capture.read(frame(TEXT, true, true, false, deflate(fresh, text.getBytes(UTF_8))), false);
    }
    List<WebSocketMessage> messages = capture.takeUpdate().messages();
    assertMessage(messages.get(0), false, "text", "first first first");
    assertMessage(messages.get(1), false, "text", "first first first");
  }

  @Test
  void aStreamThatIsNotWebSocketFramingEndsTheReadingQuietly() {
    WebSocketCapture capture = new WebSocketCapture(FLOW, null, ROOMY);
    capture.read(fromServer(TEXT, "ok".getBytes(UTF_8)), false);
    capture.read(new byte[] {(byte) 0x83, 0x01, 0x00}, false);
    capture.read(fromServer(TEXT, "after".getBytes(UTF_8)), false);
    assertEquals(1, capture.takeUpdate().messages().size());
  }

  @Test
  void onlyTheFirstChangeAfterAnUpdateAsksForOneAndNothingIsReadAfterClose() {
    WebSocketCapture capture = new WebSocketCapture(FLOW, null, ROOMY);
    assertTrue(capture.read(fromClient(TEXT, "1".getBytes(UTF_8)), true));
    assertFalse(capture.read(fromClient(TEXT, "2".getBytes(UTF_8)), true));
    assertEquals(2, capture.takeUpdate().messages().size());
    assertNull(capture.takeUpdate());
    assertTrue(capture.read(fromClient(TEXT, "3".getBytes(UTF_8)), true));
    capture.close();
    assertFalse(capture.read(fromClient(TEXT, "4".getBytes(UTF_8)), true));
    Flow last = capture.takeUpdate();
    assertEquals(3, last.messages().size());
    assertEquals(7, last.id());
  }

  private static void assertMessage(WebSocketMessage message, boolean fromClient, String type,
      String text) {
    assertEquals(fromClient, message.fromClient(), "direction");
    assertEquals(type, message.type());
    assertEquals(text, new String(message.payload(), UTF_8));
    assertFalse(message.truncated());
  }

  private static byte[] repeat(char c, int n) {
    byte[] bytes = new byte[n];
    Arrays.fill(bytes, (byte) c);
    return bytes;
  }
}
