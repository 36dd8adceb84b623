package dev.plainsight.ca;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.X509TrustedCertificateBlock;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads and writes the PEM files Plainsight deals with. Reading fails with a {@link CaException}
 * that names the file and what is wrong with it; callers add what the user should do.
 */
final class Pem {
  private Pem() {}

  /** All certificates in the file, in order; other PEM blocks are skipped. At least one. */
  static List<X509Certificate> readCertificates(Path file) throws CaException {
    List<X509Certificate> certificates = new ArrayList<>();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1);
        PEMParser parser = new PEMParser(reader)) {
      for (Object block = parser.readObject(); block != null; block = parser.readObject()) {
        if (block instanceof X509TrustedCertificateBlock) {
          block = ((X509TrustedCertificateBlock) block).getCertificateHolder();
        }
        if (block instanceof X509CertificateHolder) {
          certificates.add(new JcaX509CertificateConverter().getCertificate((X509CertificateHolder) block));
        }
      }
    } catch (NoSuchFileException e) {
      throw new CaException(file + " does not exist", e);
    } catch (AccessDeniedException e) {
      throw new CaException(file + " cannot be read by this user (permission denied)", e);
    } catch (IOException | CertificateException | RuntimeException e) {
      throw new CaException(file + " is corrupt: it is not a readable PEM certificate (" + e.getMessage() + ")", e);
    }
    if (certificates.isEmpty()) {
      throw new CaException(file + " holds no PEM certificate (a \"-----BEGIN CERTIFICATE-----\" block)");
    }
    return certificates;
  }

  /** The first block of the file, which must be an unencrypted PKCS#8 or OpenSSL private key. */
  static PrivateKey readPrivateKey(Path file) throws CaException {
    Object block;
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1);
        PEMParser parser = new PEMParser(reader)) {
      block = parser.readObject();
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      if (block instanceof PEMKeyPair) {
        return converter.getPrivateKey(((PEMKeyPair) block).getPrivateKeyInfo());
      }
      if (block instanceof PrivateKeyInfo) {
        return converter.getPrivateKey((PrivateKeyInfo) block);
      }
    } catch (NoSuchFileException e) {
      throw new CaException(file + " does not exist", e);
    } catch (AccessDeniedException e) {
      throw new CaException(file + " cannot be read by this user (permission denied)", e);
    } catch (IOException | RuntimeException e) {
      throw new CaException(file + " is corrupt: it is not a readable PEM private key (" + e.getMessage() + ")", e);
    }
    if (block instanceof PKCS8EncryptedPrivateKeyInfo || block instanceof PEMEncryptedKeyPair) {
      throw new CaException(file + " is encrypted with a password; Plainsight needs it unencrypted"
          + " (openssl pkey -in <encrypted> -out " + file + ")");
    }
    if (block == null) {
      throw new CaException(file + " holds no PEM private key (a \"-----BEGIN PRIVATE KEY-----\" block)");
    }
    throw new CaException(file + " holds a " + block.getClass().getSimpleName() + ", not a private key");
  }

  static String certificate(X509Certificate certificate) {
    return write(certificate);
  }

  /** PKCS#8, "-----BEGIN PRIVATE KEY-----". */
  static String privateKey(PrivateKey key) {
    try {
      return write(new JcaPKCS8Generator(key, null).generate());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String write(Object object) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
