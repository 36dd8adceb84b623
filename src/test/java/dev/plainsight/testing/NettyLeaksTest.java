package dev.plainsight.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The leak watch used over the malformed-client tests does see a leak when there is one. */
class NettyLeaksTest {

  @Test
  void aBufferDroppedWithoutReleaseIsReported() throws Exception {
    try (NettyLeaks leaks = NettyLeaks.start()) {
      dropOne();
      List<String> reports = leaks.reports();
      assertEquals(1, reports.size(), String.join("\n", reports));
      assertTrue(reports.get(0).contains("NettyLeaksTest.dropOne"), reports.get(0));
    }
  }

  private static void dropOne() {
    ByteBuf leaked = ByteBufAllocator.DEFAULT.buffer(64);
    leaked.writeBytes(new byte[64]);
  }
}
