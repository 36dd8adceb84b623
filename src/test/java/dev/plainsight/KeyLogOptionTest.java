package dev.plainsight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --keylog given a place that cannot be written: one line naming the option, exit code 2. */
class KeyLogOptionTest {
  @TempDir Path dir;

  @Test
  void aKeyLogInAMissingDirectoryIsOneClearLine() {
    StringWriter err = new StringWriter();
    int code = Main.run(new String[] {"--keylog", dir.resolve("no/such/dir/keys").toString(),
        "--proxy-port", "0", "--dashboard-port", "0", "--ca-dir", dir.resolve("ca").toString(),
        "--data-dir", dir.resolve("data").toString()},
        new PrintWriter(new StringWriter()), new PrintWriter(err, true));
    assertEquals(Main.USER_ERROR, code);
    String message = err.toString().strip();
    assertTrue(message.startsWith("plainsight: --keylog ") && message.contains("does not exist")
        && !message.contains("\n"), message);
  }
}
