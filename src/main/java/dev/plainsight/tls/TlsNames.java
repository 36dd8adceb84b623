package dev.plainsight.tls;

import java.util.HashMap;
import java.util.Map;

/**
 * Names from the IANA TLS registries for the code points that common clients (curl/OpenSSL, Java,
 * Chromium, Firefox) send. Every lookup is total: an unknown value comes back as hex ("0x1a2b"),
 * never null, and GREASE values (RFC 8701) as "GREASE(0x?a?a)".
 */
public final class TlsNames {

  private static final Map<Integer, String> CIPHER_SUITES = table(
      0x0004, "TLS_RSA_WITH_RC4_128_MD5",
      0x0005, "TLS_RSA_WITH_RC4_128_SHA",
      0x000a, "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
      0x0016, "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA",
      0x002f, "TLS_RSA_WITH_AES_128_CBC_SHA",
      0x0032, "TLS_DHE_DSS_WITH_AES_128_CBC_SHA",
      0x0033, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA",
      0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA",
      0x0038, "TLS_DHE_DSS_WITH_AES_256_CBC_SHA",
      0x0039, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA",
      0x003c, "TLS_RSA_WITH_AES_128_CBC_SHA256",
      0x003d, "TLS_RSA_WITH_AES_256_CBC_SHA256",
      0x0040, "TLS_DHE_DSS_WITH_AES_128_CBC_SHA256",
      0x0067, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256",
      0x006a, "TLS_DHE_DSS_WITH_AES_256_CBC_SHA256",
      0x006b, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256",
      0x009c, "TLS_RSA_WITH_AES_128_GCM_SHA256",
      0x009d, "TLS_RSA_WITH_AES_256_GCM_SHA384",
      0x009e, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
      0x009f, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
      0x00a2, "TLS_DHE_DSS_WITH_AES_128_GCM_SHA256",
      0x00a3, "TLS_DHE_DSS_WITH_AES_256_GCM_SHA384",
      0x00ff, "TLS_EMPTY_RENEGOTIATION_INFO_SCSV",
      0x1301, "TLS_AES_128_GCM_SHA256",
      0x1302, "TLS_AES_256_GCM_SHA384",
      0x1303, "TLS_CHACHA20_POLY1305_SHA256",
      0x1304, "TLS_AES_128_CCM_SHA256",
      0x1305, "TLS_AES_128_CCM_8_SHA256",
      0x5600, "TLS_FALLBACK_SCSV",
      0xc004, "TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA",
      0xc005, "TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA",
      0xc008, "TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA",
      0xc009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
      0xc00a, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
      0xc00e, "TLS_ECDH_RSA_WITH_AES_128_CBC_SHA",
      0xc00f, "TLS_ECDH_RSA_WITH_AES_256_CBC_SHA",
      0xc012, "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA",
      0xc013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
      0xc014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
      0xc023, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
      0xc024, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
      0xc025, "TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA256",
      0xc026, "TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA384",
      0xc027, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
      0xc028, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
      0xc029, "TLS_ECDH_RSA_WITH_AES_128_CBC_SHA256",
      0xc02a, "TLS_ECDH_RSA_WITH_AES_256_CBC_SHA384",
      0xc02b, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
      0xc02c, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
      0xc02d, "TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256",
      0xc02e, "TLS_ECDH_ECDSA_WITH_AES_256_GCM_SHA384",
      0xc02f, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
      0xc030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
      0xc031, "TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256",
      0xc032, "TLS_ECDH_RSA_WITH_AES_256_GCM_SHA384",
      0xc09c, "TLS_RSA_WITH_AES_128_CCM",
      0xc09d, "TLS_RSA_WITH_AES_256_CCM",
      0xc09e, "TLS_DHE_RSA_WITH_AES_128_CCM",
      0xc09f, "TLS_DHE_RSA_WITH_AES_256_CCM",
      0xc0a0, "TLS_RSA_WITH_AES_128_CCM_8",
      0xc0a1, "TLS_RSA_WITH_AES_256_CCM_8",
      0xc0a2, "TLS_DHE_RSA_WITH_AES_128_CCM_8",
      0xc0a3, "TLS_DHE_RSA_WITH_AES_256_CCM_8",
      0xc0ac, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM",
      0xc0ad, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM",
      0xc0ae, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8",
      0xc0af, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8",
      0xcca8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
      0xcca9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
      0xccaa, "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

  private static final Map<Integer, String> GROUPS = table(
      0x0016, "secp256k1",
      0x0017, "secp256r1",
      0x0018, "secp384r1",
      0x0019, "secp521r1",
      0x001a, "brainpoolP256r1",
      0x001b, "brainpoolP384r1",
      0x001c, "brainpoolP512r1",
      0x001d, "x25519",
      0x001e, "x448",
      0x001f, "brainpoolP256r1tls13",
      0x0020, "brainpoolP384r1tls13",
      0x0021, "brainpoolP512r1tls13",
      0x0100, "ffdhe2048",
      0x0101, "ffdhe3072",
      0x0102, "ffdhe4096",
      0x0103, "ffdhe6144",
      0x0104, "ffdhe8192",
      0x0200, "MLKEM512",
      0x0201, "MLKEM768",
      0x0202, "MLKEM1024",
      0x11eb, "SecP256r1MLKEM768",
      0x11ec, "X25519MLKEM768",
      0x11ed, "SecP384r1MLKEM1024",
      0x6399, "X25519Kyber768Draft00");

  private static final Map<Integer, String> SIGNATURE_SCHEMES = table(
      0x0201, "rsa_pkcs1_sha1",
      0x0202, "dsa_sha1",
      0x0203, "ecdsa_sha1",
      0x0301, "rsa_sha224",
      0x0302, "dsa_sha224",
      0x0303, "ecdsa_sha224",
      0x0401, "rsa_pkcs1_sha256",
      0x0402, "dsa_sha256",
      0x0403, "ecdsa_secp256r1_sha256",
      0x0501, "rsa_pkcs1_sha384",
      0x0502, "dsa_sha384",
      0x0503, "ecdsa_secp384r1_sha384",
      0x0601, "rsa_pkcs1_sha512",
      0x0602, "dsa_sha512",
      0x0603, "ecdsa_secp521r1_sha512",
      0x0804, "rsa_pss_rsae_sha256",
      0x0805, "rsa_pss_rsae_sha384",
      0x0806, "rsa_pss_rsae_sha512",
      0x0807, "ed25519",
      0x0808, "ed448",
      0x0809, "rsa_pss_pss_sha256",
      0x080a, "rsa_pss_pss_sha384",
      0x080b, "rsa_pss_pss_sha512",
      0x081a, "ecdsa_brainpoolP256r1tls13_sha256",
      0x081b, "ecdsa_brainpoolP384r1tls13_sha384",
      0x081c, "ecdsa_brainpoolP512r1tls13_sha512",
      0x0904, "mldsa44",
      0x0905, "mldsa65",
      0x0906, "mldsa87");

  private static final Map<Integer, String> ALERTS = table(
      0, "close_notify",
      10, "unexpected_message",
      20, "bad_record_mac",
      21, "decryption_failed",
      22, "record_overflow",
      30, "decompression_failure",
      40, "handshake_failure",
      41, "no_certificate",
      42, "bad_certificate",
      43, "unsupported_certificate",
      44, "certificate_revoked",
      45, "certificate_expired",
      46, "certificate_unknown",
      47, "illegal_parameter",
      48, "unknown_ca",
      49, "access_denied",
      50, "decode_error",
      51, "decrypt_error",
      60, "export_restriction",
      70, "protocol_version",
      71, "insufficient_security",
      80, "internal_error",
      86, "inappropriate_fallback",
      90, "user_canceled",
      100, "no_renegotiation",
      109, "missing_extension",
      110, "unsupported_extension",
      111, "certificate_unobtainable",
      112, "unrecognized_name",
      113, "bad_certificate_status_response",
      114, "bad_certificate_hash_value",
      115, "unknown_psk_identity",
      116, "certificate_required",
      120, "no_application_protocol",
      121, "ech_required");

  private static final Map<Integer, String> EXTENSIONS = table(
      0, "server_name",
      1, "max_fragment_length",
      5, "status_request",
      10, "supported_groups",
      11, "ec_point_formats",
      13, "signature_algorithms",
      14, "use_srtp",
      15, "heartbeat",
      16, "application_layer_protocol_negotiation",
      17, "status_request_v2",
      18, "signed_certificate_timestamp",
      21, "padding",
      22, "encrypt_then_mac",
      23, "extended_master_secret",
      27, "compress_certificate",
      28, "record_size_limit",
      34, "delegated_credential",
      35, "session_ticket",
      41, "pre_shared_key",
      42, "early_data",
      43, "supported_versions",
      44, "cookie",
      45, "psk_key_exchange_modes",
      47, "certificate_authorities",
      48, "oid_filters",
      49, "post_handshake_auth",
      50, "signature_algorithms_cert",
      51, "key_share",
      57, "quic_transport_parameters",
      0x3374, "next_protocol_negotiation",
      0x4469, "application_settings_old",
      0x44cd, "application_settings",
      0xfe0d, "encrypted_client_hello",
      0xff01, "renegotiation_info");

  private static final Map<Integer, String> HANDSHAKE_TYPES = table(
      0, "HelloRequest",
      1, "ClientHello",
      2, "ServerHello",
      4, "NewSessionTicket",
      5, "EndOfEarlyData",
      8, "EncryptedExtensions",
      11, "Certificate",
      12, "ServerKeyExchange",
      13, "CertificateRequest",
      14, "ServerHelloDone",
      15, "CertificateVerify",
      16, "ClientKeyExchange",
      20, "Finished",
      22, "CertificateStatus",
      24, "KeyUpdate");

  private TlsNames() {}

  public static String cipherSuite(int id) {
    return lookup(CIPHER_SUITES, id);
  }

  public static String group(int id) {
    return lookup(GROUPS, id);
  }

  public static String signatureScheme(int id) {
    return lookup(SIGNATURE_SCHEMES, id);
  }

  public static String extension(int type) {
    return lookup(EXTENSIONS, type);
  }

  /** Alert description name, or "unknown(n)". */
  public static String alert(int code) {
    String name = ALERTS.get(code);
    return name != null ? name : "unknown(" + code + ")";
  }

  /** "warning" (1), "fatal" (2), else "unknown(n)". */
  public static String alertLevel(int level) {
    return switch (level) {
      case 1 -> "warning";
      case 2 -> "fatal";
      default -> "unknown(" + level + ")";
    };
  }

  /** "SSL 3.0", "TLS 1.0" … "TLS 1.3", "TLS 1.3 draft 28", DTLS versions, else hex. */
  public static String version(int v) {
    return switch (v) {
      case 0x0300 -> "SSL 3.0";
      case 0x0301 -> "TLS 1.0";
      case 0x0302 -> "TLS 1.1";
      case 0x0303 -> "TLS 1.2";
      case 0x0304 -> "TLS 1.3";
      case 0xfeff -> "DTLS 1.0";
      case 0xfefd -> "DTLS 1.2";
      case 0xfefc -> "DTLS 1.3";
      default -> (v & 0xff00) == 0x7f00 ? "TLS 1.3 draft " + (v & 0xff) : hex(v);
    };
  }

  /** Record content type: handshake, alert, change_cipher_spec, application_data, heartbeat. */
  public static String contentType(int type) {
    return switch (type) {
      case 20 -> "change_cipher_spec";
      case 21 -> "alert";
      case 22 -> "handshake";
      case 23 -> "application_data";
      case 24 -> "heartbeat";
      default -> "unknown(" + type + ")";
    };
  }

  /** Handshake message name as in the RFCs ("ClientHello"), else "handshake type n". */
  public static String handshakeType(int type) {
    String name = HANDSHAKE_TYPES.get(type);
    return name != null ? name : "handshake type " + type;
  }

  /** RFC 8701 GREASE: both bytes equal and of the form 0x?A. */
  public static boolean isGrease(int v) {
    return (v & 0x0f0f) == 0x0a0a && ((v >> 8) & 0xff) == (v & 0xff);
  }

  /** Four-digit lower-case hex, "0x1301". */
  public static String hex(int v) {
    return String.format("0x%04x", v & 0xffff);
  }

  private static String lookup(Map<Integer, String> table, int value) {
    if (isGrease(value)) {
      return "GREASE(" + hex(value) + ")";
    }
    String name = table.get(value);
    return name != null ? name : hex(value);
  }

  private static Map<Integer, String> table(Object... pairs) {
    Map<Integer, String> map = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put((Integer) pairs[i], (String) pairs[i + 1]);
    }
    return Map.copyOf(map);
  }
}
