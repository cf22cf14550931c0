package io.kpsim.report.html;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Debian's headless Chromium driven through its chromedriver, for the HTML report's browser tests.
 * Nothing is downloaded: both binaries are named by path (Selenium Manager is never asked), and the
 * browser starts with a fresh profile and with background networking, updates and sync off. When
 * either binary is missing the tests are skipped with a message naming it. Public for the browser tests
 * of the commands that write pages ({@code io.kpsim.cli.DiagnoseHtmlBrowserTest}).
 */
public final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    public final ChromeDriver driver;
    private final Path profile;

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** Starts a browser, or aborts the calling test with what is missing. */
    public static Browser start() throws IOException {
        List<String> missing = new ArrayList<>();
        if (!Files.isExecutable(CHROMIUM)) {
            missing.add(CHROMIUM + " (Debian package chromium)");
        }
        if (!Files.isExecutable(CHROMEDRIVER)) {
            missing.add(CHROMEDRIVER + " (Debian package chromium-driver)");
        }
        Assumptions.assumeTrue(
                missing.isEmpty(),
                "browser tests skipped: " + String.join(" and ", missing) + " not installed (.ci/run installs them)");
        Path profile = Files.createTempDirectory("kpsim-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-dev-shm-usage",
                "--window-size=1600,1200",
                "--user-data-dir=" + profile);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort()
                .withEnvironment(Map.of("SE_AVOID_STATS", "true"))
                .build();
        return new Browser(new ChromeDriver(service, options), profile);
    }

    /**
     * The window plot's INVALID mark naming {@code bound} (a {@link WindowBound} name) in the open
     * page, in page pixels: the marked bar's {@code top} and {@code bottom}, the bound tick's y
     * ({@code bound}), how many {@code td_maxend} and lower-bound lines are drawn ({@code maxend},
     * {@code lower}) and the mark's words ({@code label}); {@code null} when there is no such mark.
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> plotMark(String bound) {
        return (Map<String, Object>) driver.executeScript(
                "var m = document.querySelector('#plots g.mark.invalid[data-bound=\"' + arguments[0] + '\"]');"
                        + "if (!m) { return null; }"
                        + "var bar = m.querySelector('line.bar').getBoundingClientRect();"
                        + "var tick = m.querySelector('line.bound').getBoundingClientRect();"
                        + "return {top: bar.top, bottom: bar.bottom, bound: (tick.top + tick.bottom) / 2,"
                        + " maxend: document.querySelectorAll('#plots path.td-maxend').length,"
                        + " lower: document.querySelectorAll('#plots path.td-lower').length,"
                        + " label: m.textContent};",
                bound);
    }

    /** The browser console's messages at SEVERE level (script errors, failed loads). */
    public List<String> consoleErrors() {
        List<String> errors = new ArrayList<>();
        for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
            if (e.getLevel().intValue() >= Level.SEVERE.intValue()) {
                errors.add(e.getMessage());
            }
        }
        return errors;
    }

    @Override
    public void close() throws IOException {
        try {
            driver.quit();
        } finally {
            try (var walk = Files.walk(profile)) {
                walk.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }
}
