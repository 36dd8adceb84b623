package dev.plainsight.tls;

import java.util.Arrays;

/**
 * The bytes of one hello as "the record" the Bytes view shows: a 5-byte TLS record header followed
 * by exactly one handshake message (4-byte header and body). When the hello travelled alone in one
 * record, the header is the one on the wire and {@code header} is null. When it shared a record with
 * other handshake messages (a TLS 1.2 ServerHello usually does) or spanned several records (a
 * post-quantum ClientHello of ~1.8 KB may), the header is synthesized from the first record's type
 * and version with the message's length, and {@code header} says why. Only the first {@link
 * #MAX_BYTES} bytes are kept; the header's length still tells the full size. Compared by content.
 */
public record HelloRecord(byte[] bytes, String header) {

  /** Bytes kept per hello, header included. */
  public static final int MAX_BYTES = 16 * 1024;

  public HelloRecord {
    bytes = bytes == null ? new byte[0] : bytes.clone();
  }

  /**
   * Rebuilds the record of a handshake message from its body, {@code records} being how many
   * records carried it and {@code recordLength} the length of the (first) record.
   */
  static HelloRecord of(int type, byte[] body, int version, int records, int recordLength) {
    int messageLength = 4 + body.length;
    String header = null;
    if (records > 1) {
      header = "synthesized: on the wire this " + TlsNames.handshakeType(type) + " spanned "
          + records + " records";
    } else if (recordLength != messageLength) {
      header = "synthesized: on the wire this " + TlsNames.handshakeType(type)
          + " shared a record of " + recordLength + " bytes with other handshake messages";
    }
    int kept = Math.min(messageLength + 5, MAX_BYTES);
    byte[] out = new byte[kept];
    int recordLen = Math.min(messageLength, 0xffff);
    byte[] head = {22, (byte) (version >> 8), (byte) version, (byte) (recordLen >> 8),
        (byte) recordLen, (byte) type, (byte) (body.length >> 16), (byte) (body.length >> 8),
        (byte) body.length};
    System.arraycopy(head, 0, out, 0, Math.min(head.length, kept));
    if (kept > head.length) {
      System.arraycopy(body, 0, out, head.length, kept - head.length);
    }
    if (kept < messageLength + 5) {
      header = (header == null ? "" : header + "; ") + "only the first " + MAX_BYTES
          + " bytes were kept";
    }
    return new HelloRecord(out, header);
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HelloRecord r && Arrays.equals(bytes, r.bytes)
        && java.util.Objects.equals(header, r.header);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes) * 31 + java.util.Objects.hashCode(header);
  }

  @Override
  public String toString() {
    return "HelloRecord[" + bytes.length + " bytes" + (header == null ? "" : ", " + header) + "]";
  }
}
