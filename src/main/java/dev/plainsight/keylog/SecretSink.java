package dev.plainsight.keylog;

/** Receives the secrets one TLS engine derives, each with its NSS key log label. */
public interface SecretSink {
  void secret(String nssLabel, byte[] secret);
}
