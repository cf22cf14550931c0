package io.kpsim.report.html;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.report.StoryPackets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.print.PrintOptions;

/**
 * The HTML report in a real browser (headless Chromium through Selenium): pages of library
 * scenarios opened from disk, with no console errors; the ladder's arrows, their labels and order;
 * clicking and the keyboard; and the window plot's marks against conntrack's bounds.
 */
class HtmlReportBrowserTest {

    @TempDir
    static Path dir;

    private static Browser browser;
    private static Page blog;
    private static StoryPackets blogStory;

    @BeforeAll
    static void start() throws IOException {
        browser = Browser.start();
        Runs.Recorded r = Runs.run("blog-reset");
        blog = r.page();
        blogStory = r.recorder().storyPackets();
    }

    @AfterAll
    static void stop() throws IOException {
        if (browser != null) {
            browser.close();
        }
    }

    private static void open(Page page, String name) throws IOException {
        Path file = dir.resolve(name + ".html");
        Files.writeString(file, HtmlPage.render(page));
        browser.driver.get(file.toUri().toString());
        browser.driver.manage().logs().get("browser");
    }

    private static Object js(String script, Object... args) {
        return browser.driver.executeScript(script, args);
    }

    private static List<WebElement> ladderArrows() {
        return browser.driver.findElements(By.cssSelector("#ladder g.arrow"));
    }

    @Test
    void everyLibraryScenarioOpensWithoutConsoleErrors() throws IOException {
        for (String name : List.of("blog-reset", "boom-4.19", "boom-6.18", "upper-bound-6.18", "congested-4.19")) {
            Page page = Runs.run(name).page();
            Path file = dir.resolve(name + "-plain.html");
            Files.writeString(file, HtmlPage.render(page));
            browser.driver.get(file.toUri().toString());
            js("document.querySelector('#ladder g.arrow').dispatchEvent(new MouseEvent('click', {bubbles: true}));");
            new Actions(browser.driver)
                    .sendKeys("n")
                    .sendKeys("n")
                    .sendKeys("p")
                    .perform();
            List<String> errors = browser.consoleErrors();
            assertEquals(List.of(), errors, name + ": console errors");
            assertEquals(page.ladder().arrows().size(), ladderArrows().size(), name);
        }
    }

    @Test
    void theLadderHasAnArrowPerHopOfEveryStoryPacketInOrderWithItsLabel() throws IOException {
        open(blog, "blog");
        Ladder l = blog.ladder();
        List<WebElement> arrows = ladderArrows();
        assertEquals(l.arrows().size(), arrows.size());
        for (long id : List.of(blogStory.segmentId(), blogStory.rstId())) {
            double lastY = -1;
            int hops = 0;
            for (Arrow a : l.arrows()) {
                if (a.packetId() != id) {
                    continue;
                }
                WebElement g = browser.driver.findElement(By.id("ladder-fig-a" + a.index()));
                assertEquals(
                        Fmt.label(a),
                        g.findElement(By.cssSelector("text.label")).getText());
                @SuppressWarnings("unchecked")
                Map<String, Object> box = (Map<String, Object>) js(
                        "var r = arguments[0].querySelector('line.shaft').getBoundingClientRect();"
                                + "return {top: r.top + window.scrollY, bottom: r.bottom + window.scrollY};",
                        g);
                double top = ((Number) box.get("top")).doubleValue();
                assertTrue(top >= lastY, "hop " + a.index() + " starts below the previous hop of its packet");
                lastY = ((Number) box.get("bottom")).doubleValue() - 1;
                hops++;
            }
            assertEquals(3, hops, "pod -> node -> node -> pod");
        }
        WebElement first = browser.driver.findElement(
                By.id("ladder-fig-a" + l.steps().get(0).arrow()));
        assertTrue(first.getAttribute("class").contains("invalid"), first.getAttribute("class"));
        WebElement rst = browser.driver.findElement(
                By.id("ladder-fig-a" + l.steps().get(2).arrow()));
        assertTrue(rst.getAttribute("class").contains("rst"), rst.getAttribute("class"));
        List<WebElement> steps = browser.driver.findElements(By.cssSelector("#ladder g.step"));
        List<String> numbers = new ArrayList<>();
        double lastY = -1;
        for (WebElement s : steps) {
            numbers.add(s.getText().trim());
            double y = s.getRect().getY();
            assertTrue(y > lastY, "step " + s.getText() + " is drawn below the one before");
            lastY = y;
        }
        assertEquals(List.of("1", "2", "3", "4", "5"), numbers);
        String boxes =
                browser.driver.findElement(By.cssSelector("#ladder g.boxes")).getText();
        assertTrue(boxes.contains("NAT skipped"), boxes);
        assertTrue(boxes.contains("10.96.0.10:80 \u2192 10.244.2.2:8080"), boxes);
        assertTrue(browser.consoleErrors().isEmpty());
    }

    @Test
    void clickingAnArrowShowsThePacketAndItsConntrackEntryBeforeAndAfter() throws IOException {
        open(blog, "blog-click");
        Arrow escape = blog.ladder().arrows().get(blog.ladder().steps().get(0).arrow());
        WebElement arrow = browser.driver.findElement(By.id("ladder-fig-a" + escape.index()));
        new Actions(browser.driver)
                .moveToElement(arrow.findElement(By.cssSelector("text.label")))
                .click()
                .perform();
        WebElement panel = browser.driver.findElement(By.id("panel"));
        String text = panel.getText();
        assertTrue(text.contains("SEQ is over the upper bound"), text);
        assertTrue(text.contains("conntrack entry before"), text);
        assertTrue(text.contains("conntrack entry after"), text);
        assertTrue(text.contains("td_maxend"), text);
        assertTrue(text.contains("src=10.244.1.2 dst=10.96.0.10"), "the entry's original tuple: " + text);
        // The numbers are the recorded entry's, as kpsim run --html records it.
        CtEntry before = null;
        for (Arrow a : blog.ladder().arrows()) {
            if (a.packetId() == escape.packetId()
                    && a.conntrack() != null
                    && a.conntrack().before() != null) {
                before = a.conntrack().before();
            }
        }
        assertTrue(before != null, "the escaped segment's hops carry their conntrack entry");
        CtWindow reply = before.replyWindow();
        assertTrue(
                text.contains("seen[REPLY] td_end " + reply.tdEnd() + ", td_maxend " + reply.tdMaxEnd() + ", td_maxwin "
                        + reply.tdMaxWin() + ", td_scale " + reply.tdScale()),
                text);
        assertTrue(text.contains("ESTABLISHED"), text);
        WebElement selected = panel.findElement(By.cssSelector(".hop.selected"));
        assertEquals(String.valueOf(escape.index()), selected.getAttribute("data-arrow"));
        for (WebElement g : ladderArrows()) {
            boolean current = g.getAttribute("class").contains("current");
            assertEquals(
                    Integer.parseInt(g.getAttribute("data-packet")) == escape.packetIndex(),
                    current,
                    "only the clicked packet's arrows are highlighted");
        }
    }

    @Test
    void withoutRecordedEntriesThePanelSaysSo() throws IOException {
        open(Runs.withoutEntries("blog-reset").page(), "blog-plain-click");
        browser.driver
                .findElement(By.cssSelector("#ladder g.arrow.invalid text.label"))
                .click();
        String text = browser.driver.findElement(By.id("panel")).getText();
        assertTrue(text.contains("not recorded in this run's trace"), text);
        assertTrue(text.contains("INVALID"), text);
    }

    private static List<Integer> highlighted() {
        List<Integer> packets = new ArrayList<>();
        for (WebElement g : browser.driver.findElements(By.cssSelector("#ladder g.arrow.current"))) {
            int p = Integer.parseInt(g.getAttribute("data-packet"));
            if (!packets.contains(p)) {
                packets.add(p);
            }
        }
        return packets;
    }

    @Test
    void theKeyboardMovesTheHighlightFromPacketToPacket() throws IOException {
        open(blog, "blog-keys");
        WebElement body = browser.driver.findElement(By.tagName("body"));
        assertEquals(List.of(), highlighted());
        body.sendKeys("n");
        assertEquals(List.of(0), highlighted());
        body.sendKeys("n");
        assertEquals(List.of(1), highlighted());
        body.sendKeys(Keys.ARROW_DOWN);
        assertEquals(List.of(2), highlighted());
        body.sendKeys("p");
        assertEquals(List.of(1), highlighted());
        body.sendKeys(Keys.END);
        assertEquals(List.of(blog.ladder().packetCount() - 1), highlighted());
        body.sendKeys("n");
        assertEquals(List.of(blog.ladder().packetCount() - 1), highlighted(), "stops at the last packet");
        body.sendKeys(Keys.ESCAPE);
        assertEquals(List.of(), highlighted());
        String panel = browser.driver.findElement(By.id("panel")).getText();
        assertTrue(panel.startsWith("Packet " + blog.ladder().packetCount() + " of "), panel);
    }

    @Test
    void theWindowPlotMarksTheBlogsSegmentAboveTdMaxend() throws IOException {
        open(blog, "blog-plot");
        Map<String, Object> g = browser.plotMark("SEQ_UPPER");
        assertTrue(g != null, "an INVALID mark naming the upper bound");
        assertTrue(((Number) g.get("bottom")).doubleValue() < ((Number) g.get("bound")).doubleValue(), g.toString());
        assertEquals(1L, ((Number) g.get("maxend")).longValue(), "td_maxend is drawn");
        assertTrue(g.get("label").toString().contains("SEQ above td_maxend (upper bound)"), g.toString());
    }

    @Test
    void theWindowPlotMarksBoomsSegmentBelowTheLowerBoundOn419() throws IOException {
        open(Runs.run("boom-4.19").page(), "boom-plot");
        Map<String, Object> g = browser.plotMark("SEQ_LOWER");
        assertTrue(g != null, "an INVALID mark naming the lower bound");
        assertTrue(((Number) g.get("top")).doubleValue() > ((Number) g.get("bound")).doubleValue(), g.toString());
        assertEquals(1L, ((Number) g.get("lower")).longValue(), "td_end - td_maxwin is drawn");
        assertTrue(g.get("label").toString().contains("lower bound"), g.toString());
        assertTrue(browser.consoleErrors().isEmpty());
    }

    @Test
    void thePagePrintsToPdf() throws IOException {
        open(blog, "blog-print");
        String pdf = browser.driver.print(new PrintOptions()).getContent();
        byte[] bytes = Base64.getDecoder().decode(pdf);
        assertEquals("%PDF", new String(bytes, 0, 4, java.nio.charset.StandardCharsets.US_ASCII));
        assertTrue(bytes.length > 10_000, "a PDF with the figures: " + bytes.length + " bytes");
        assertFalse(browser.consoleErrors().stream().anyMatch(e -> !e.isEmpty()));
    }
}
