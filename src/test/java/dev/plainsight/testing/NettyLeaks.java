package dev.plainsight.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.ResourceLeakDetector;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * Netty's leak detector at PARANOID (every buffer and native TLS engine tracked) for the span of a
 * test class, with its reports collected instead of only logged. {@link #start} before the proxy
 * starts; {@link #reports} forces garbage collection and allocates, which makes the detector
 * report what was collected without being released; {@link #close} restores the level. The level
 * is read at each allocation, so this works in a JVM shared with other test classes.
 */
public final class NettyLeaks implements AutoCloseable {
  private static final String[][] DETECTORS = {
      {"io.netty.buffer.AbstractByteBuf", "leakDetector"},
      {"io.netty.handler.ssl.ReferenceCountedOpenSslEngine", "leakDetector"}};

  private final ResourceLeakDetector.Level before = ResourceLeakDetector.getLevel();
  private final List<ResourceLeakDetector<?>> detectors = new ArrayList<>();
  private final List<String> reports = Collections.synchronizedList(new ArrayList<>());

  private NettyLeaks() {
    OpenSsl.ensureAvailability();
    for (String[] detector : DETECTORS) {
      ResourceLeakDetector<?> found = find(detector[0], detector[1]);
      found.setLeakListener((type, records) -> reports.add("LEAK: " + type + "\n" + records));
      detectors.add(found);
    }
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
  }

  public static NettyLeaks start() {
    return new NettyLeaks();
  }

  /** The leaks reported so far, after making the detector look for them. */
  public List<String> reports() throws InterruptedException {
    for (int round = 0; round < 5; round++) {
      System.gc();
      Thread.sleep(100);
      for (int i = 0; i < 200; i++) {
        ByteBuf buf = i % 2 == 0 ? ByteBufAllocator.DEFAULT.buffer(16) : Unpooled.buffer(16);
        buf.release();
      }
      newOpenSslEngine();
    }
    return List.copyOf(reports);
  }

  /** A native engine made and released, so the engines' detector looks too. */
  private static void newOpenSslEngine() {
    try {
      SslContext context = SslContextBuilder.forClient()
          .sslProvider(SslProvider.OPENSSL_REFCNT).build();
      ReferenceCountUtil.release(context.newEngine(ByteBufAllocator.DEFAULT));
      ReferenceCountUtil.release(context);
    } catch (SSLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ResourceLeakDetector<?> find(String className, String fieldName) {
    try {
      Field field = Class.forName(className).getDeclaredField(fieldName);
      field.setAccessible(true);
      return (ResourceLeakDetector<?>) field.get(null);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("Netty's leak detector moved: " + className, e);
    }
  }

  @Override
  public void close() {
    ResourceLeakDetector.setLevel(before);
    for (ResourceLeakDetector<?> detector : detectors) {
      detector.setLeakListener(null);
    }
  }
}
