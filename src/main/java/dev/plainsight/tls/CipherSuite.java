package dev.plainsight.tls;

/** A cipher suite offered or chosen: its IANA code point and name ("0x1a2b" when unknown). */
public record CipherSuite(int id, String name) {

  public static CipherSuite of(int id) {
    return new CipherSuite(id, TlsNames.cipherSuite(id));
  }
}
