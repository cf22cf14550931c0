package io.kpsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.report.html.Browser;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * {@code kpsim diagnose --html} in a real browser (headless Chromium): the pages of the captures
 * {@code kpsim run --pcap} writes at node-a for the blog scenario and for boom on 4.19, opened from
 * disk. No console errors; the story's arrows in order, labelled, the INVALID one red and the RST
 * purple; clicking an arrow shows its conntrack entry before and after; the keyboard steps; the
 * window plot marks the INVALID segment above td_maxend (blog) and below td_end - td_maxwin (boom).
 */
class DiagnoseHtmlBrowserTest {

    @TempDir
    static Path dir;

    private static Browser browser;

    @BeforeAll
    static void start() throws IOException {
        browser = Browser.start();
    }

    @AfterAll
    static void stop() throws IOException {
        if (browser != null) {
            browser.close();
        }
    }

    /** Runs {@code scenario} with --pcap, diagnoses node-a's capture with --html and opens the page. */
    private static String open(String scenario, String service) {
        Path caps = dir.resolve(scenario);
        Cli run = Cli.run("run", RunCommandTest.scenario(scenario).toString(), "--pcap", caps.toString(), "-q");
        assertEquals(0, run.exitCode(), run.err());
        Path html = dir.resolve(scenario + ".html");
        Cli d = Cli.run(
                "diagnose",
                "--service",
                service,
                "--kernel",
                "4.19",
                caps.resolve("node-a.before-nat.pcap").toString(),
                "--html",
                html.toString());
        assertEquals(0, d.exitCode(), d.err());
        browser.driver.get(html.toUri().toString());
        return d.out();
    }

    private static WebElement stepArrow(int n) {
        WebElement step = browser.driver.findElements(By.cssSelector("#ladder g.step")).stream()
                .filter(s -> s.getText().trim().equals(String.valueOf(n)))
                .findFirst()
                .orElseThrow(() -> new AssertionError("step " + n + " on the ladder"));
        String arrow = step.getAttribute("data-arrow");
        assertNotNull(arrow, "step " + n + " names its arrow");
        return browser.driver.findElement(By.id("ladder-fig-a" + arrow));
    }

    @Test
    void theBlogsDiagnosisIsDrawnAroundTheInvalidReply() {
        String text = open("blog-reset", "10.96.0.10:80=10.244.2.2:8080");
        assertTrue(text.startsWith("yes: 1 reset is the conntrack INVALID-reply bug"), text);
        assertEquals(List.of(), browser.consoleErrors(), "console errors");
        List<String> lanes = new ArrayList<>();
        for (WebElement l : browser.driver.findElements(By.cssSelector("#ladder g.lanes text.lane-title"))) {
            lanes.add(l.getText());
        }
        assertEquals(List.of("10.244.1.2", "node", "10.244.2.2"), lanes);
        List<String> numbers = new ArrayList<>();
        double lastY = -1;
        for (WebElement s : browser.driver.findElements(By.cssSelector("#ladder g.step"))) {
            numbers.add(s.getText().trim());
            assertTrue(s.getRect().getY() > lastY, "step " + s.getText() + " below the one before");
            lastY = s.getRect().getY();
        }
        assertEquals(List.of("1", "2", "3", "4"), numbers);
        WebElement invalid = stepArrow(1);
        assertTrue(invalid.getAttribute("class").contains("invalid"), invalid.getAttribute("class"));
        assertTrue(invalid.findElement(By.cssSelector("text.label")).getText().startsWith("[P.] seq "));
        WebElement rst = stepArrow(3);
        assertTrue(rst.getAttribute("class").contains("rst"), rst.getAttribute("class"));
        assertTrue(rst.findElement(By.cssSelector("text.label")).getText().startsWith("[R] seq "));
        String boxes =
                browser.driver.findElement(By.cssSelector("#ladder g.boxes")).getText();
        assertTrue(boxes.contains("NAT skipped"), boxes);
        assertTrue(
                boxes.contains("10.96.0.10:80 \u2192 10.244.2.2:8080"), "the DNAT of the client's packets: " + boxes);

        new Actions(browser.driver)
                .moveToElement(invalid.findElement(By.cssSelector("text.label")))
                .click()
                .perform();
        String panel = browser.driver.findElement(By.id("panel")).getText();
        assertTrue(panel.contains("SEQ is over the upper bound"), panel);
        assertTrue(panel.contains("conntrack entry before"), panel);
        assertTrue(panel.contains("conntrack entry after"), panel);
        assertTrue(panel.contains("seen[REPLY] td_end "), panel);
        assertTrue(panel.contains("src=10.244.1.2 dst=10.96.0.10"), "the entry's original tuple: " + panel);

        WebElement body = browser.driver.findElement(By.tagName("body"));
        String before = invalid.getAttribute("data-packet");
        body.sendKeys("n");
        List<String> current = new ArrayList<>();
        for (WebElement g : browser.driver.findElements(By.cssSelector("#ladder g.arrow.current"))) {
            current.add(g.getAttribute("data-packet"));
        }
        assertTrue(
                !current.isEmpty()
                        && current.stream().allMatch(p -> Integer.parseInt(p) == Integer.parseInt(before) + 1),
                "n moves to the next packet: " + current);

        Map<String, Object> g = browser.plotMark("SEQ_UPPER");
        assertNotNull(g, "an INVALID mark naming the upper bound");
        assertTrue(((Number) g.get("bottom")).doubleValue() < ((Number) g.get("bound")).doubleValue(), g.toString());
        assertTrue(g.get("label").toString().contains("SEQ above td_maxend (upper bound)"), g.toString());
        assertEquals(List.of(), browser.consoleErrors(), "console errors after clicking and keys");
    }

    @Test
    void boomsDiagnosisOn419MarksTheSegmentBelowTheLowerBound() {
        String text = open("boom-4.19", DiagnosePicturesTest.BOOM_SERVICE);
        assertTrue(text.startsWith("yes: 29 resets"), text);
        assertEquals(List.of(), browser.consoleErrors());
        Map<String, Object> g = browser.plotMark("SEQ_LOWER");
        assertNotNull(g, "an INVALID mark naming the lower bound");
        assertTrue(((Number) g.get("top")).doubleValue() > ((Number) g.get("bound")).doubleValue(), g.toString());
        assertTrue(g.get("label").toString().contains("lower bound"), g.toString());
    }
}
