package dev.plainsight.dashboard.ui;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.UnexpectedAlertBehaviour;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven by Debian's chromedriver through Selenium, both named by
 * path so that Selenium Manager never looks for (or downloads) anything. Each browser has its own
 * throw-away profile and no proxy. A missing browser or driver fails the test with what to
 * install: a browser test is never skipped.
 *
 * <p>Order of use: {@link #shared()} (one browser for all UI tests in this JVM, quit when it
 * exits) or {@link #start()} and {@link #close()}; then {@link #open} or {@link #go} and the
 * helpers.
 */
final class Browser implements AutoCloseable {
  private static final List<String> BROWSERS = List.of("/usr/bin/chromium",
      "/usr/bin/chromium-browser", "/usr/bin/google-chrome");
  private static final List<String> DRIVERS = List.of("/usr/bin/chromedriver",
      "/usr/lib/chromium/chromedriver");

  private static Browser shared;

  private final ChromeDriver driver;
  private final Path profile;

  /** The browser all UI test classes share: starting one costs seconds. */
  static synchronized Browser shared() {
    if (shared == null) {
      shared = start();
      Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "browser-quit"));
    }
    shared.resize(1500, 950);
    return shared;
  }

  private Browser(ChromeDriver driver, Path profile) {
    this.driver = driver;
    this.profile = profile;
  }

  static Browser start() {
    Path chromium = find("CHROMIUM", BROWSERS, "chromium");
    Path chromedriver = find("CHROMEDRIVER", DRIVERS, "chromium-driver");
    System.setProperty("webdriver.chrome.driver", chromedriver.toString());
    Path profile;
    try {
      profile = Files.createTempDirectory("plainsight-ui");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu",
        "--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-proxy-server",
        "--force-device-scale-factor=1", "--window-size=1500,950", "--lang=en-GB",
        "--user-data-dir=" + profile);
    options.setUnhandledPromptBehaviour(UnexpectedAlertBehaviour.IGNORE);
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(chromedriver.toFile()).usingAnyFreePort().build();
    try {
      return new Browser(new ChromeDriver(service, options), profile);
    } catch (RuntimeException e) {
      deleteTree(profile);
      throw new AssertionError("headless Chromium did not start through " + chromedriver + ": "
          + e.getMessage(), e);
    }
  }

  private static Path find(String variable, List<String> candidates, String debianPackage) {
    List<String> tried = new ArrayList<>();
    String override = System.getenv(variable);
    if (override != null && !override.isBlank()) {
      tried.add(override);
    }
    tried.addAll(candidates);
    for (String candidate : tried) {
      if (Files.isExecutable(Path.of(candidate))) {
        return Path.of(candidate);
      }
    }
    throw new AssertionError("no " + debianPackage + " found (tried " + tried + "): install it "
        + "with `apt-get install -y chromium chromium-driver`, or set " + variable
        + " (CI=" + System.getenv("CI") + ")");
  }

  ChromeDriver driver() {
    return driver;
  }

  void open(String url) {
    driver.get(url);
  }

  /**
   * Shows {@code url}: when the page already shows the same document (only the #hash differs),
   * by changing the hash, as a click on a link would; otherwise by loading it.
   */
  void go(String url) {
    int hash = url.indexOf('#');
    String current = driver.getCurrentUrl();
    String page = hash < 0 ? url : url.substring(0, hash);
    String bare = page.replaceFirst("\\?token=[^#]*$", "");
    if (hash >= 0 && current != null && current.replaceFirst("#.*$", "").equals(bare)
        && Boolean.TRUE.equals(js("return document.readyState === 'complete' && !!document.getElementById('flows-viewport')"
            + " && document.getElementById('refused').hidden;"))) {
      js("location.hash = arguments[0];", url.substring(hash));
    } else {
      driver.get(url);
    }
  }

  /** Runs a script in the page ({@code return ...} to get a value). */
  Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  String jsText(String expression) {
    Object value = js("return String(" + expression + ");");
    return value == null ? null : value.toString();
  }

  long jsNumber(String expression) {
    return ((Number) js("return Number(" + expression + ");")).longValue();
  }

  /** Waits until the JavaScript expression is truthy (a throwing expression counts as false). */
  void await(String condition) {
    await(condition, Duration.ofSeconds(15));
  }

  void await(String condition, Duration timeout) {
    String guarded = "try { return !!(" + condition + "); } catch (e) { return false; }";
    try {
      new WebDriverWait(driver, timeout, Duration.ofMillis(40))
          .until(d -> Boolean.TRUE.equals(((JavascriptExecutor) d).executeScript(guarded)));
    } catch (TimeoutException e) {
      throw new AssertionError("not true within " + timeout + ": " + condition + "\nthe page says: "
          + js("return document.body ? document.body.innerText.slice(0, 3000) : ''"), e);
    }
  }

  WebElement find(String css) {
    return driver.findElement(By.cssSelector(css));
  }

  List<WebElement> findAll(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  /** Clicks the first element matching {@code css} whose text is exactly {@code text}. */
  void clickText(String css, String text) {
    for (WebElement element : findAll(css)) {
      if (element.getText().trim().equals(text)) {
        element.click();
        return;
      }
    }
    throw new AssertionError("no " + css + " with text " + text);
  }

  /** True when a JavaScript dialog (alert, confirm, prompt) is open. */
  boolean dialogOpen() {
    try {
      driver.switchTo().alert();
      return true;
    } catch (NoAlertPresentException e) {
      return false;
    }
  }

  /** Console messages at SEVERE level since the last call: script errors, CSP violations. */
  List<String> severeConsoleMessages() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
        .map(LogEntry::getMessage).toList();
  }

  void resize(int width, int height) {
    driver.manage().window().setSize(new org.openqa.selenium.Dimension(width, height));
  }

  void screenshot(Path file) {
    try {
      Files.createDirectories(file.getParent());
      Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      deleteTree(profile);
    }
  }

  private static void deleteTree(Path root) {
    try (var paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException | UncheckedIOException ignored) {
      // a temp profile left behind is harmless
    }
  }
}
