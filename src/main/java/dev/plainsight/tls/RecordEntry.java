package dev.plainsight.tls;

/**
 * One rung of the record ladder: a record header as an eavesdropper sees it. {@code contentType} is
 * handshake, alert, change_cipher_spec, application_data, heartbeat or unknown(n); {@code version}
 * the record-layer version field (0x0301, 0x0303); {@code length} the payload length; {@code
 * offsetMillis} the time the record's first byte arrived, counted from the connection's first byte.
 */
public record RecordEntry(
    Direction direction, String contentType, int version, int length, long offsetMillis) {}
