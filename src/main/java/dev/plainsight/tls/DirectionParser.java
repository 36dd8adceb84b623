package dev.plainsight.tls;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads one direction of a TLS connection: frames records, reassembles plaintext handshake messages
 * and decodes the ones an eavesdropper can read, reporting to the shared {@link ObservationBuilder}.
 *
 * <p>A direction turns encrypted at its first application_data record; under TLS 1.2 (or before
 * any ServerHello is seen) at its ChangeCipherSpec; the server's also right after a TLS 1.3
 * ServerHello. From then on only record headers are read. Under TLS 1.3 a ChangeCipherSpec is only
 * the compatibility record: after a HelloRetryRequest both sides send one and then still a plaintext
 * hello, and otherwise nothing follows it but application_data records.
 */
final class DirectionParser implements RecordFramer.Listener {

  private static final int CHANGE_CIPHER_SPEC = 20;
  private static final int ALERT = 21;
  private static final int HANDSHAKE = 22;
  private static final int APPLICATION_DATA = 23;

  private final Direction dir;
  private final ObservationBuilder state;
  private final RecordFramer framer = new RecordFramer(this);
  private final HandshakeReassembler handshake = new HandshakeReassembler();
  private final byte[] small = new byte[2];
  private int smallBytes;
  private int recordVersion;
  private int recordLength;
  private int messageVersion;
  private int messageRecordLength;
  private int messageRecords;
  private boolean encrypted;
  private boolean stopped;

  DirectionParser(Direction dir, ObservationBuilder state) {
    this.dir = dir;
    this.state = state;
  }

  void feed(byte[] data, int offset, int length, long nowMillis) {
    if (!stopped) {
      framer.feed(data, offset, length, nowMillis);
    }
  }

  void feed(java.nio.ByteBuffer data, long nowMillis) {
    if (!stopped) {
      framer.feed(data, nowMillis);
    }
  }

  /** Stops reading this direction (after an internal error); bytes are still counted upstream. */
  void stop(String reason) {
    stopped = true;
    state.note(dir.sender() + ": " + reason + "; stopped reading this direction");
  }

  boolean encrypted() {
    return encrypted;
  }

  @Override
  public boolean onHeader(int type, int version, int length, long startMillis) {
    state.record(dir, type, version, length, startMillis);
    smallBytes = 0;
    switch (type) {
      case HANDSHAKE:
        handshakeRecord(version, length);
        return !encrypted;
      case ALERT:
        if (length != 2) {
          state.note(dir.sender() + ": encrypted alert (" + length
              + " bytes): its description is hidden");
        }
        return length == 2;
      case CHANGE_CIPHER_SPEC:
        return true;
      case APPLICATION_DATA:
        becomeEncrypted();
        return false;
      default:
        return false;
    }
  }

  @Override
  public void onPayload(int type, byte[] data, int offset, int length) {
    if (type == HANDSHAKE) {
      if (!encrypted) {
        handshake.append(data, offset, length);
        drainHandshake();
      }
    } else {
      int n = Math.min(length, small.length - smallBytes);
      System.arraycopy(data, offset, small, smallBytes, n);
      smallBytes += n;
    }
  }

  @Override
  public void onRecordEnd(int type, int length) {
    if (type == ALERT && length == 2 && smallBytes == 2) {
      int level = small[0] & 0xff;
      int code = small[1] & 0xff;
      state.alert(new AlertInfo(dir, TlsNames.alertLevel(level), code, TlsNames.alert(code)));
    } else if (type == CHANGE_CIPHER_SPEC) {
      state.changeCipherSpec();
      if (!state.tls13()) {
        becomeEncrypted();
      }
    }
    smallBytes = 0;
  }

  @Override
  public void onDesync(String reason) {
    state.note(dir.sender() + ": " + reason + "; stopped reading this direction");
  }

  /** What is half-received in this direction, for snapshot notes; empty when nothing is. */
  List<String> pendingNotes() {
    List<String> out = new ArrayList<>();
    if (stopped || framer.stopped()) {
      return out;
    }
    String message = encrypted ? null : handshake.pendingDescription();
    String record = framer.pendingDescription();
    if (message != null) {
      out.add(dir.sender() + ": truncated " + message + " so far");
    } else if (record != null && !record.startsWith("application_data")) {
      out.add(dir.sender() + ": incomplete " + record + " so far");
    }
    return out;
  }

  private void becomeEncrypted() {
    if (!encrypted) {
      encrypted = true;
      handshake.clear();
    }
  }

  /** Counts the records the next handshake message spans, for {@link HelloRecord#of}. */
  private void handshakeRecord(int version, int length) {
    recordVersion = version;
    recordLength = length;
    if (!handshake.buffering()) {
      messageRecords = 0;
      messageVersion = version;
      messageRecordLength = length;
    }
    messageRecords++;
  }

  private void drainHandshake() {
    HandshakeReassembler.Message message;
    while (!encrypted && (message = handshake.next()) != null) {
      HelloRecord record = HelloRecord.of(message.type(), message.body(), messageVersion,
          messageRecords, messageRecordLength);
      messageRecords = 1;
      messageVersion = recordVersion;
      messageRecordLength = recordLength;
      handle(message.type(), message.body(), record);
    }
    String oversized = handshake.takeOversizedNote();
    if (oversized != null) {
      state.note(dir.sender() + ": " + oversized);
    }
  }

  private void handle(int type, byte[] body, HelloRecord record) {
    List<String> notes = new ArrayList<>();
    if (dir == Direction.CLIENT_TO_SERVER) {
      if (type == 1) {
        state.clientHello(ClientHelloParser.parse(body, notes), record);
      } else if (type == 2) {
        notes.add("a ServerHello came from the client side: are the directions swapped?");
      }
    } else {
      switch (type) {
        case 1 -> notes.add("a ClientHello came from the server side: are the directions swapped?");
        case 2 -> serverHello(ServerHelloParser.parse(body, notes), record);
        case 11 -> {
          if (!state.tls13()) {
            state.certificates(CertificateParser.parse(body, notes));
          }
        }
        case 12 -> serverKeyExchange(body);
        default -> { }
      }
    }
    notes.forEach(n -> state.note(dir.sender() + ": " + n));
  }

  private void serverHello(ServerHello hello, HelloRecord record) {
    state.serverHello(hello, record);
    if (hello.isTls13() && !hello.helloRetryRequest()) {
      becomeEncrypted();
    }
  }

  /** ECDHE ServerKeyExchange starts with curve_type 3 (named_curve) and the u16 group. */
  private void serverKeyExchange(byte[] body) {
    ServerHello hello = state.serverHello();
    if (hello != null && hello.cipherSuite() != null && hello.cipherSuite().contains("ECDHE")
        && body.length >= 3 && body[0] == 3) {
      state.keyExchangeGroup(TlsNames.group(((body[1] & 0xff) << 8) | (body[2] & 0xff)));
    }
  }
}
