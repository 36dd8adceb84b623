package dev.plainsight.pcap;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Writes pcapng blocks (little-endian) to a stream: one section header with a comment and the
 * writing application, one raw-IP interface, decryption-secrets blocks carrying an NSS key log
 * (Wireshark decrypts TLS with them and no set-up), and enhanced packet blocks with microsecond
 * timestamps. Calls: {@link #header}, {@link #interfaceRawIp}, then {@link #secrets} and {@link
 * #packet} in the order the file must hold them. See the pcapng specification (IETF
 * draft-ietf-opsawg-pcapng) for the block layouts.
 */
final class PcapngWriter {
  private static final int SECTION_HEADER = 0x0A0D0D0A;
  private static final int INTERFACE_DESCRIPTION = 0x00000001;
  private static final int ENHANCED_PACKET = 0x00000006;
  private static final int DECRYPTION_SECRETS = 0x0000000A;
  private static final int TLS_KEY_LOG = 0x544C534B;
  private static final int LINKTYPE_RAW = 101;
  private static final short OPT_COMMENT = 1;
  private static final short SHB_USERAPPL = 4;
  private static final short IF_NAME = 2;
  private static final short IF_TSRESOL = 9;

  private final OutputStream out;

  PcapngWriter(OutputStream out) {
    this.out = out;
  }

  void header(String comment, String application) throws IOException {
    ByteBuffer body = buffer(16 + option(comment) + option(application) + 4);
    body.putInt(0x1A2B3C4D).putShort((short) 1).putShort((short) 0).putLong(-1L);
    putOption(body, OPT_COMMENT, comment.getBytes(StandardCharsets.UTF_8));
    putOption(body, SHB_USERAPPL, application.getBytes(StandardCharsets.UTF_8));
    body.putInt(0);
    block(SECTION_HEADER, body);
  }

  void interfaceRawIp(String name) throws IOException {
    ByteBuffer body = buffer(8 + option(name) + 8 + 4);
    body.putShort((short) LINKTYPE_RAW).putShort((short) 0).putInt(0);
    putOption(body, IF_NAME, name.getBytes(StandardCharsets.UTF_8));
    putOption(body, IF_TSRESOL, new byte[] {6});
    body.putInt(0);
    block(INTERFACE_DESCRIPTION, body);
  }

  void secrets(byte[] nssKeyLog) throws IOException {
    ByteBuffer body = buffer(8 + padded(nssKeyLog.length));
    body.putInt(TLS_KEY_LOG).putInt(nssKeyLog.length).put(nssKeyLog);
    body.position(8 + padded(nssKeyLog.length));
    block(DECRYPTION_SECRETS, body);
  }

  void packet(Instant at, byte[] data) throws IOException {
    long micros = at.getEpochSecond() * 1_000_000L + at.getNano() / 1_000;
    ByteBuffer body = buffer(20 + padded(data.length));
    body.putInt(0).putInt((int) (micros >>> 32)).putInt((int) micros);
    body.putInt(data.length).putInt(data.length).put(data);
    body.position(20 + padded(data.length));
    block(ENHANCED_PACKET, body);
  }

  private void block(int type, ByteBuffer body) throws IOException {
    int total = 12 + body.capacity();
    ByteBuffer block = buffer(total);
    block.putInt(type).putInt(total).put(body.array()).putInt(total);
    out.write(block.array());
  }

  private static int option(String value) {
    return 4 + padded(value.getBytes(StandardCharsets.UTF_8).length);
  }

  private static void putOption(ByteBuffer body, short code, byte[] value) {
    body.putShort(code).putShort((short) value.length).put(value);
    body.position(body.position() + padded(value.length) - value.length);
  }

  private static int padded(int length) {
    return (length + 3) & ~3;
  }

  private static ByteBuffer buffer(int size) {
    return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
  }
}
