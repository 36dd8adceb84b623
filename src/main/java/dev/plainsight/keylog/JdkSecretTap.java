package dev.plainsight.keylog;

import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Security;
import java.security.spec.AlgorithmParameterSpec;
import java.util.Arrays;
import java.util.List;
import javax.crypto.KeyGenerator;
import javax.crypto.KeyGeneratorSpi;
import javax.crypto.Mac;
import javax.crypto.MacSpi;
import javax.crypto.SecretKey;

/**
 * How the secrets of the JDK's own TLS (JSSE) reach the key log. JSSE exposes none of them, but
 * it derives them through the JCA: TLS 1.3's key schedule is HKDF on {@code Mac.getInstance
 * ("HmacSHA256" / "HmacSHA384")}, TLS 1.2's master secret comes from {@code KeyGenerator
 * .getInstance("SunTls12MasterSecret")}. {@link #install()} puts a provider first in the JVM's
 * list whose Macs and key generators delegate every call to the provider that would have served
 * it (SunJCE) and, on a thread that {@link #enter entered} a {@link SecretSink}, report the TLS
 * 1.3 traffic secrets (recognised by their HKDF label, see {@link Tls13Labels}) and the master
 * secret to it. On any other thread, and for every other use, they only delegate. Call order on
 * a thread: {@code previous = enter(sink); try { engine call } finally { leave(previous); }}.
 */
public final class JdkSecretTap extends Provider {
  static final String NAME = "PlainsightKeyLog";
  private static final ThreadLocal<SecretSink> CURRENT = new ThreadLocal<>();
  private static final List<String> MACS = List.of("HmacSHA256", "HmacSHA384");
  private static final List<String> MASTER_SECRETS =
      List.of("SunTls12MasterSecret", "SunTlsExtendedMasterSecret", "SunTlsMasterSecret");

  private JdkSecretTap() {
    super(NAME, "1.0", "Plainsight: reports JSSE's TLS secrets to its key log");
    for (String algorithm : MACS) {
      Provider real = firstOther("Mac." + algorithm);
      putService(new Service(this, "Mac", algorithm, TappedMac.class.getName(), null, null) {
        @Override
        public Object newInstance(Object parameter) throws NoSuchAlgorithmException {
          return new TappedMac(Mac.getInstance(algorithm, real));
        }
      });
    }
    for (String algorithm : MASTER_SECRETS) {
      Provider real = firstOther("KeyGenerator." + algorithm);
      if (real != null) {
        putService(new Service(this, "KeyGenerator", algorithm,
            TappedMasterSecret.class.getName(), null, null) {
          @Override
          public Object newInstance(Object parameter) throws NoSuchAlgorithmException {
            return new TappedMasterSecret(KeyGenerator.getInstance(algorithm, real));
          }
        });
      }
    }
  }

  /**
   * Puts the tap first among the JVM's providers (once). True when JSSE's derivations now go
   * through it, which is checked rather than assumed.
   */
  public static synchronized boolean install() {
    if (Security.getProvider(NAME) == null) {
      Security.insertProviderAt(new JdkSecretTap(), 1);
    }
    try {
      return Mac.getInstance("HmacSHA256").getProvider().getName().equals(NAME)
          && Mac.getInstance("HmacSHA384").getProvider().getName().equals(NAME)
          && KeyGenerator.getInstance("SunTls12MasterSecret").getProvider().getName().equals(NAME)
          && KeyGenerator.getInstance("SunTlsExtendedMasterSecret").getProvider().getName()
              .equals(NAME);
    } catch (NoSuchAlgorithmException e) {
      return false;
    }
  }

  /** Makes {@code sink} this thread's; returns the one it replaces, for {@link #leave}. */
  public static SecretSink enter(SecretSink sink) {
    SecretSink previous = CURRENT.get();
    CURRENT.set(sink);
    return previous;
  }

  public static void leave(SecretSink previous) {
    if (previous == null) {
      CURRENT.remove();
    } else {
      CURRENT.set(previous);
    }
  }

  private static Provider firstOther(String service) {
    Provider[] providers = Security.getProviders(service);
    if (providers != null) {
      for (Provider provider : providers) {
        if (!provider.getName().equals(NAME)) {
          return provider;
        }
      }
    }
    return null;
  }

  /** An HMAC that delegates, and reports what an HKDF-Expand-Label of a traffic secret gives. */
  static final class TappedMac extends MacSpi implements Cloneable {
    private Mac delegate;
    private byte[] input = new byte[Tls13Labels.MAX_INPUT];
    private int length;

    TappedMac(Mac delegate) {
      this.delegate = delegate;
    }

    @Override
    protected int engineGetMacLength() {
      return delegate.getMacLength();
    }

    @Override
    protected void engineInit(Key key, AlgorithmParameterSpec params)
        throws InvalidKeyException, InvalidAlgorithmParameterException {
      delegate.init(key, params);
      length = 0;
    }

    @Override
    protected void engineUpdate(byte b) {
      delegate.update(b);
      if (CURRENT.get() != null) {
        keep(new byte[] {b}, 0, 1);
      }
    }

    @Override
    protected void engineUpdate(byte[] bytes, int offset, int count) {
      delegate.update(bytes, offset, count);
      if (CURRENT.get() != null) {
        keep(bytes, offset, count);
      }
    }

    private void keep(byte[] bytes, int offset, int count) {
      if (length >= 0 && length + count <= input.length) {
        System.arraycopy(bytes, offset, input, length, count);
        length += count;
      } else {
        length = -1; // longer than any HkdfLabel: not a key schedule step
      }
    }

    @Override
    protected byte[] engineDoFinal() {
      byte[] out = delegate.doFinal();
      SecretSink sink = CURRENT.get();
      if (sink != null && length > 0) {
        String label = Tls13Labels.nssLabel(input, length);
        if (label != null) {
          sink.secret(label, out.clone());
        }
      }
      length = 0;
      return out;
    }

    @Override
    protected void engineReset() {
      delegate.reset();
      length = 0;
    }

    @Override
    public Object clone() throws CloneNotSupportedException {
      TappedMac copy = (TappedMac) super.clone();
      copy.delegate = (Mac) delegate.clone();
      copy.input = Arrays.copyOf(input, input.length);
      return copy;
    }
  }

  /** TLS 1.2's master secret generator, delegating, reporting the master secret it made. */
  static final class TappedMasterSecret extends KeyGeneratorSpi {
    private final KeyGenerator delegate;

    TappedMasterSecret(KeyGenerator delegate) {
      this.delegate = delegate;
    }

    @Override
    protected void engineInit(SecureRandom random) {
      delegate.init(random);
    }

    @Override
    protected void engineInit(AlgorithmParameterSpec params, SecureRandom random)
        throws InvalidAlgorithmParameterException {
      if (random == null) {
        delegate.init(params);
      } else {
        delegate.init(params, random);
      }
    }

    @Override
    protected void engineInit(int keySize, SecureRandom random) {
      delegate.init(keySize, random);
    }

    @Override
    protected SecretKey engineGenerateKey() {
      SecretKey key = delegate.generateKey();
      SecretSink sink = CURRENT.get();
      byte[] encoded = sink == null ? null : key.getEncoded();
      if (encoded != null) {
        sink.secret(NssLine.CLIENT_RANDOM, encoded);
      }
      return key;
    }
  }
}
