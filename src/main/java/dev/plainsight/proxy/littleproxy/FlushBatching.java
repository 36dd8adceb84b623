package dev.plainsight.proxy.littleproxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.flush.FlushConsolidationHandler;

/**
 * Lets a channel write what one turn of its event loop produced in one system call. LittleProxy
 * flushes every HTTP part on its own (a request's head, then its end; a response's head, then its
 * body), which costs a write per part; the batching handler holds those flushes until the turn is
 * over (or 256 have piled up). Bytes and their order are unchanged.
 *
 * <p>Canary: {@code LittleProxyCanaryTest.eachPartOfAResponseIsStillFlushedOnItsOwn}.
 */
final class FlushBatching {
  private static final String NAME = "plainsight-flush-batching";
  private static final int FLUSH_AT_THE_LATEST_AFTER = 256;

  private FlushBatching() {}

  /** Puts the batching handler in front of the channel's pipeline, once. */
  static void on(Channel channel) {
    ChannelPipeline pipeline = channel.pipeline();
    if (pipeline.get(NAME) == null) {
      try {
        pipeline.addFirst(NAME, new FlushConsolidationHandler(FLUSH_AT_THE_LATEST_AFTER, true));
      } catch (IllegalArgumentException addedMeanwhile) {
        // another call got there first: one handler is enough
      }
    }
  }
}
