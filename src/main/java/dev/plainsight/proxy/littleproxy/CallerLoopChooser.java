package dev.plainsight.proxy.littleproxy;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorChooserFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Chooses the event loop for a new channel: the caller's own loop when the caller runs on one of
 * the group's loops, otherwise the next loop in turn. A connection to a server opened while a
 * client's request is read thus lives on the client's loop, and the bytes of an exchange never
 * hop between threads (the layout of Netty's own proxy example).
 *
 * <p>Canary: {@code LittleProxyCanaryTest.aServerConnectionStillGetsAnotherEventLoopThanItsClient}.
 */
final class CallerLoopChooser implements EventExecutorChooserFactory {

  @Override
  public EventExecutorChooser newChooser(EventExecutor[] executors) {
    EventExecutor[] loops = executors.clone();
    AtomicInteger turn = new AtomicInteger();
    return () -> {
      for (EventExecutor loop : loops) {
        if (loop.inEventLoop()) {
          return loop;
        }
      }
      return loops[Math.floorMod(turn.getAndIncrement(), loops.length)];
    };
  }
}
