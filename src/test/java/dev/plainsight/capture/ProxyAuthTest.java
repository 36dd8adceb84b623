package dev.plainsight.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The credential check of {@code --proxy-auth}, without sockets. */
class ProxyAuthTest {
  private final ProxyAuth room = ProxyAuth.withRoomPassword("open sesame");

  private static String basic(String userAndPassword) {
    return "Basic " + Base64.getEncoder().encodeToString(
        userAndPassword.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void theNameAndTheRoomPasswordAreAccepted() {
    assertEquals(new ProxyAuth.Accepted("alice"), room.check(basic("alice:open sesame")));
  }

  @Test
  void theNameIsTrimmedAndMayBeAnyPrintableText() {
    assertEquals(new ProxyAuth.Accepted("Zoë Ünal"), room.check(basic("  Zoë Ünal :open sesame")));
    assertEquals(new ProxyAuth.Accepted("alice"), room.check("basic  " + Base64.getEncoder()
        .encodeToString("alice:open sesame".getBytes(StandardCharsets.UTF_8)) + " "));
  }

  @Test
  void aPasswordMayContainAColon() {
    ProxyAuth colons = ProxyAuth.withRoomPassword("a:b:c");
    assertEquals(new ProxyAuth.Accepted("bob"), colons.check(basic("bob:a:b:c")));
  }

  @Test
  void noHeaderIsMissingNotRejected() {
    assertInstanceOf(ProxyAuth.Missing.class, room.check(null));
    assertInstanceOf(ProxyAuth.Missing.class, room.check("  "));
  }

  @Test
  void aWrongPasswordIsRejectedWithoutRepeatingIt() {
    ProxyAuth.Rejected rejected = assertInstanceOf(ProxyAuth.Rejected.class,
        room.check(basic("alice:open sesam")));
    assertTrue(rejected.reason().contains("wrong room password"), rejected.reason());
    assertTrue(rejected.reason().contains("alice"), rejected.reason());
    assertFalse(rejected.reason().contains("sesam"), rejected.reason());
  }

  @Test
  void emptyLongAndInvisibleNamesAreRejected() {
    for (String name : new String[] {"", "   ", "x".repeat(41), "al\u0000ice", "bob\u200b",
        "tab\tname", "line\nbreak"}) {
      assertInstanceOf(ProxyAuth.Rejected.class, room.check(basic(name + ":open sesame")),
          "name " + name.replace("\u0000", "\\0"));
    }
    assertInstanceOf(ProxyAuth.Accepted.class, room.check(basic("x".repeat(40) + ":open sesame")));
  }

  @Test
  void malformedCredentialsAreRejectedNotThrown() {
    for (String header : new String[] {"Basic !!!not-base64", "Bearer abc", "Basic "
        + Base64.getEncoder().encodeToString("no colon".getBytes(StandardCharsets.UTF_8)),
        "Basic " + Base64.getEncoder().encodeToString(new byte[] {(byte) 0xC3, 0x28, ':', 'x'}),
        "Basic", "Digest username=\"alice\""}) {
      assertInstanceOf(ProxyAuth.Rejected.class, room.check(header), header);
    }
  }

  @Test
  void withoutAuthenticationEveryoneIsAcceptedWithNoName() {
    assertEquals(new ProxyAuth.Accepted(null), ProxyAuth.none().check(null));
    assertEquals(new ProxyAuth.Accepted(null), ProxyAuth.none().check(basic("alice:x")));
    assertFalse(ProxyAuth.none().enabled());
  }

  @Test
  void anEmptyRoomPasswordIsRefusedAndNeverPrinted() {
    assertThrows(IllegalArgumentException.class, () -> ProxyAuth.withRoomPassword(""));
    assertFalse(room.toString().contains("sesame"), room.toString());
  }

  @Test
  void participantNamesFollowOneRule() {
    assertEquals(Optional.of("alice"), ParticipantName.parse(" alice "));
    assertEquals(Optional.empty(), ParticipantName.parse("a:b"));
    assertEquals(Optional.empty(), ParticipantName.parse(null));
    assertEquals(Optional.of("🦊".repeat(40)), ParticipantName.parse("🦊".repeat(40)));
  }

  @Test
  void theInternalClientIsAcceptedWithNoParticipantAndItsPasswordServesNoOtherName() {
    String internal = room.internalAuthorization();
    assertEquals(new ProxyAuth.Accepted(null), room.check(internal));
    String password = new String(Base64.getDecoder().decode(internal.substring(6)),
        java.nio.charset.StandardCharsets.UTF_8).substring(ProxyAuth.TRAINER.length() + 1);
    assertInstanceOf(ProxyAuth.Rejected.class, room.check(basic("alice:" + password)));
  }

  @Test
  void namesThatReadAsTheTrainersAreReservedAndOthersAreNot() {
    for (String name : new String[] {"trainer", "TRAINER", "Trainer", "\uff34rainer",
        "tr\u0430iner", "tra\u00efner", "\u0442rainer"}) {
      assertTrue(ParticipantName.isReserved(name), name);
      assertInstanceOf(ProxyAuth.Rejected.class, room.check(basic(name + ":open sesame")), name);
    }
    for (String name : new String[] {"trainee", "trainer2", "the trainer", "alice"}) {
      assertFalse(ParticipantName.isReserved(name), name);
    }
  }
}
