package dev.plainsight.store;

import dev.plainsight.flow.Flow;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Child process of {@link CrashSafetyTest}: opens the store in the given directory and adds flows
 * as fast as it can until it is killed. After each commit it prints "committed id,id,... end",
 * so a line the parent reads whole names only flows that were durable when it was printed.
 */
public final class CrashWriterMain {
  private CrashWriterMain() {}

  public static void main(String[] args) {
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    SqliteFlowStore store = SqliteFlowStore.open(Path.of(args[0]), StoreOptions.defaults());
    store.addCommitListener(ids -> {
      StringBuilder line = new StringBuilder("committed ");
      for (int i = 0; i < ids.length; i++) {
        line.append(i == 0 ? "" : ",").append(ids[i]);
      }
      out.println(line.append(" end"));
      out.flush();
    });
    out.println("ready");
    out.flush();
    for (long n = 0; ; n++) {
      Flow flow = Flows.http("", "crash.example", "/burst/" + n, "payload " + n + " "
          + "x".repeat(2048));
      store.addWaiting(flow);
    }
  }
}
