package io.kpsim.conntrack.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The catalogue {@code switches.txt} and the enum {@link Switch} name the same switches, once each. */
class SwitchCatalogueTest {

    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{12}");

    private static List<String> resourceLines() throws IOException {
        try (InputStream in = SwitchCatalogue.class.getResourceAsStream(SwitchCatalogue.RESOURCE)) {
            assertNotNull(in, "resource " + SwitchCatalogue.RESOURCE);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    @Test
    void everySwitchHasExactlyOneBlockAndNoBlockDangles() throws IOException {
        List<String> blocks = resourceLines().stream()
                .filter(l -> l.startsWith("["))
                .map(l -> l.substring(1, l.length() - 1))
                .toList();
        List<String> names = Arrays.stream(Switch.values()).map(Switch::name).toList();
        assertEquals(names, blocks, "one block per constant, in declaration order");
        Map<Switch, SwitchFacts> facts = SwitchCatalogue.parse(resourceLines());
        assertEquals(Switch.values().length, facts.size());
    }

    @Test
    void everyEntryHasWellFormedFacts() {
        for (Switch s : Switch.values()) {
            SwitchFacts f = s.facts();
            assertTrue(f.commit() == null || COMMIT.matcher(f.commit()).matches(), s + " commit " + f.commit());
            assertFalse(f.title().isBlank(), s + " title");
            assertFalse(f.code().isBlank(), s + " code");
            assertTrue(f.note().length() > 40, s + " note says how the fact was established");
            assertTrue(f.mainlineText().endsWith(f.mainline().line()), s + " mainline " + f.mainlineText());
            for (Backport b : f.stable()) {
                assertTrue(b.line().compareLine(f.mainline()) < 0, s + " backport " + b + " older than mainline");
            }
        }
    }

    @Test
    void accessorsReadTheCatalogue() {
        Switch s = Switch.LOG_INVALID_CONDITION_FIXED;
        assertEquals(Switch.Area.CORE, s.area());
        assertEquals("d48668052b26 \"netfilter: fix nf_l4proto_log_invalid to log invalid packets\"", s.citation());
        assertEquals("mainline 5.1; stable 4.19.44", s.releases());
        assertTrue(s.presentIn(Release.parse("4.19.44")));
        assertFalse(s.presentIn(Release.parse("4.19.43")));
        assertTrue(s.presentIn(Release.parse("5.1")));
        assertEquals("commit not identified", Switch.TCP_SIMULTANEOUS_OPEN.citation());
    }

    @Test
    void linesEndAsAReaderEndsThem() throws IOException {
        for (String text :
                List.of("", "a", "a\n", "a\nb", "a\r\nb\r\n", "a\rb\r", "\n\n", "\r\r\n\n", "a\r\n\rb", "x\ry\nz")) {
            List<String> expected = new java.io.BufferedReader(new java.io.StringReader(text))
                    .lines()
                    .toList();
            assertEquals(
                    expected,
                    SwitchCatalogue.lines(text),
                    text.replace("\r", "\\r").replace("\n", "\\n"));
        }
    }

    /**
     * The class the build writes from {@code switches.txt} (simulator/src/build/java/CatalogueText.java)
     * gives its text exactly, so the facts a run reads are the resource's.
     */
    @Test
    void theCompiledCatalogueIsTheResourceCharacterForCharacter() throws IOException {
        try (InputStream in = SwitchCatalogue.class.getResourceAsStream(SwitchCatalogue.RESOURCE)) {
            assertNotNull(in, "resource " + SwitchCatalogue.RESOURCE);
            String resource = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(resource.contains("\"") && resource.length() > 8_000, "quotes, and more than one constant");
            assertEquals(resource, SwitchCatalogueText.text());
        }
    }

    @Test
    void aConstantWithoutABlockIsNamed() throws IOException {
        List<String> lines = withoutBlock(resourceLines(), "NAT_DNAT_FROM_MIN");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SwitchCatalogue.parse(lines));
        assertEquals("switches.txt: no block for NAT_DNAT_FROM_MIN", e.getMessage());
    }

    @Test
    void aDanglingBlockARepeatedBlockAndBadLinesAreRejectedWithTheirLine() throws IOException {
        List<String> lines = resourceLines();
        assertError(
                append(lines, "[NO_SUCH_SWITCH]", "area: TCP"),
                ":" + (lines.size() + 1) + ": [NO_SUCH_SWITCH] names no constant of Switch");
        assertError(
                append(lines, "[NAT_DNAT_FROM_MIN]"), ":" + (lines.size() + 1) + ": [NAT_DNAT_FROM_MIN] appears twice");
        assertError(append(lines, "colour: red"), ":" + (lines.size() + 1) + ": unknown key 'colour'");
        assertError(append(lines, "title: again"), ":" + (lines.size() + 1) + ": key 'title' repeated");
        assertError(append(lines, "no colon"), ":" + (lines.size() + 1) + ": expected 'key: value'");
        assertError(append(lines, "note: trailing "), ":" + (lines.size() + 1) + ": trailing whitespace");
        assertError(List.of("area: TCP"), "switches.txt:1: a line before the first [NAME] block");
    }

    @Test
    void aBlockWithoutARequiredKeyOrWithABadValueIsRejected() throws IOException {
        List<String> lines = resourceLines();
        List<String> noTitle = new ArrayList<>(lines);
        int block = noTitle.indexOf("[NAT_DNAT_FROM_MIN]");
        noTitle.removeIf(l -> l.startsWith("title: a DNAT port range"));
        assertError(noTitle, "switches.txt:" + (block + 1) + ": block has no 'title'");
        List<String> badArea = new ArrayList<>(lines);
        badArea.set(block + 1, "area: IPV6");
        assertError(badArea, "switches.txt:" + (block + 1) + ": area 'IPV6' is not one of");
        List<String> badRelease = new ArrayList<>(lines);
        badRelease.set(badRelease.indexOf("mainline: 6.7-6.12"), "mainline: six");
        assertError(badRelease, "'six' is not a kernel release");
    }

    private static void assertError(List<String> lines, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SwitchCatalogue.parse(lines));
        assertTrue(e.getMessage().contains(expected), e.getMessage() + " should contain " + expected);
    }

    private static List<String> append(List<String> lines, String... more) {
        List<String> all = new ArrayList<>(lines);
        all.addAll(List.of(more));
        return all;
    }

    private static List<String> withoutBlock(List<String> lines, String name) {
        List<String> kept = new ArrayList<>();
        boolean skipping = false;
        for (String l : lines) {
            if (l.startsWith("[")) {
                skipping = l.equals("[" + name + "]");
            }
            if (!skipping) {
                kept.add(l);
            }
        }
        return kept;
    }
}
