package io.kpsim.conntrack.profile;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The facts of every {@link Switch}, read once from the resource {@code switches.txt} (one block
 * {@code [NAME]} per constant, then {@code key: value} lines). Keeping the citations out of the enum
 * keeps it short; this class makes the split safe: a constant without a block, a block without a
 * constant, a repeated block or key, an unknown key or a missing required key stops the class from
 * loading with the resource line that is wrong. The resource ships in the jar, and the build
 * compiles its text into {@link SwitchCatalogueText}, so such an error is a kpsim bug, never the
 * user's.
 */
public final class SwitchCatalogue {

    /** The resource, relative to this class (the source of {@link SwitchCatalogueText}). */
    static final String RESOURCE = "switches.txt";

    private static final Set<String> KEYS =
            Set.of("area", "commit", "subject", "mainline", "stable", "code", "title", "note");
    /** In the order they are checked, so that the first missing one named is always the same. */
    private static final List<String> REQUIRED = List.of("area", "code", "mainline", "note", "title");

    private static final Map<Switch, SwitchFacts> FACTS = load();

    private SwitchCatalogue() {}

    /** The facts of {@code s}. */
    public static SwitchFacts of(Switch s) {
        return FACTS.get(s);
    }

    /**
     * Parses the catalogue from {@link SwitchCatalogueText}, which the build writes from {@code
     * switches.txt}: as a class it comes from the class-data archive, while reading the resource made
     * every run open the jar and read its central directory, which nothing else in a run needs
     * (src/docs/benchmarks.md, "Start-up", session 11).
     */
    private static Map<Switch, SwitchFacts> load() {
        return parse(lines(SwitchCatalogueText.text()));
    }

    /**
     * The lines of {@code text}, ended by {@code \n}, {@code \r} or {@code \r\n} as {@link
     * java.io.BufferedReader#readLine()} ends them. Found with {@link String#indexOf(int, int)}, not a
     * reader decoding character by character or a stream: every run reads the catalogue while it
     * starts, before the JIT has compiled kpsim's code, and a loop over each character in the
     * interpreter costs milliseconds there (src/docs/benchmarks.md, "Start-up").
     */
    static List<String> lines(String text) {
        List<String> lines = new ArrayList<>(600);
        int n = text.length();
        boolean carriageReturns = text.indexOf('\r') >= 0;
        int start = 0;
        while (start < n) {
            int end = text.indexOf('\n', start);
            if (carriageReturns) {
                int cr = text.indexOf('\r', start);
                if (cr >= 0 && (end < 0 || cr < end)) {
                    lines.add(text.substring(start, cr));
                    start = cr + 1 < n && text.charAt(cr + 1) == '\n' ? cr + 2 : cr + 1;
                    continue;
                }
            }
            if (end < 0) {
                lines.add(text.substring(start));
                break;
            }
            lines.add(text.substring(start, end));
            start = end + 1;
        }
        return lines;
    }

    /**
     * Parses the catalogue's lines into the facts of every switch.
     *
     * @throws IllegalArgumentException naming the line ({@code switches.txt:12: ...}) of the first
     *     error, or the constants without a block
     */
    static Map<Switch, SwitchFacts> parse(List<String> lines) {
        Map<Switch, SwitchFacts> facts = new EnumMap<>(Switch.class);
        Switch current = null;
        int currentLine = 0;
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int number = i + 1;
            if (line.startsWith("#")) {
                continue;
            }
            if (!line.isEmpty() && Character.isWhitespace(line.charAt(line.length() - 1))) {
                throw error(number, "trailing whitespace");
            }
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("[")) {
                if (current != null) {
                    facts.put(current, facts(values, currentLine));
                }
                current = constant(line, number, facts);
                currentLine = number;
                values = new HashMap<>();
                continue;
            }
            if (current == null) {
                throw error(number, "a line before the first [NAME] block");
            }
            int colon = line.indexOf(": ");
            if (colon < 0) {
                throw error(number, "expected 'key: value', got '" + line + "'");
            }
            String key = line.substring(0, colon);
            String value = line.substring(colon + 2);
            if (!KEYS.contains(key)) {
                throw error(number, "unknown key '" + key + "' (known: " + String.join(", ", sorted(KEYS)) + ")");
            }
            if (key.equals("note")) {
                String before = values.get(key);
                values.put(key, before == null ? value : before.concat(" ").concat(value));
            } else if (values.putIfAbsent(key, value) != null) {
                throw error(number, "key '" + key + "' repeated in [" + current.name() + "]");
            }
        }
        if (current != null) {
            facts.put(current, facts(values, currentLine));
        }
        List<String> missing = new ArrayList<>();
        for (Switch s : Switch.values()) {
            if (!facts.containsKey(s)) {
                missing.add(s.name());
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(RESOURCE + ": no block for " + String.join(", ", missing));
        }
        return Collections.unmodifiableMap(facts);
    }

    private static Switch constant(String line, int number, Map<Switch, SwitchFacts> seen) {
        if (!line.endsWith("]")) {
            throw error(number, "expected '[NAME]', got '" + line + "'");
        }
        String name = line.substring(1, line.length() - 1);
        Switch s;
        try {
            s = Switch.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw error(number, "[" + name + "] names no constant of Switch");
        }
        if (seen.containsKey(s)) {
            throw error(number, "[" + name + "] appears twice");
        }
        return s;
    }

    private static SwitchFacts facts(Map<String, String> values, int number) {
        for (String key : REQUIRED) {
            if (!values.containsKey(key)) {
                throw error(number, "block has no '" + key + "'");
            }
        }
        Switch.Area area;
        try {
            area = Switch.Area.valueOf(values.get("area"));
        } catch (IllegalArgumentException e) {
            throw error(
                    number, "area '" + values.get("area") + "' is not one of " + Arrays.toString(Switch.Area.values()));
        }
        String mainlineText = values.get("mainline");
        int dash = mainlineText.indexOf('-');
        String stable = values.getOrDefault("stable", "");
        try {
            Release mainline = Release.parse(dash < 0 ? mainlineText : mainlineText.substring(dash + 1));
            List<Backport> backports = new ArrayList<>(2);
            for (int from = 0, comma; from < stable.length(); from = comma + 2) {
                comma = stable.indexOf(", ", from);
                if (comma < 0) {
                    comma = stable.length();
                }
                backports.add(Backport.parse(stable.substring(from, comma)));
            }
            return new SwitchFacts(
                    area,
                    values.get("commit"),
                    values.get("subject"),
                    mainlineText,
                    mainline,
                    backports,
                    values.get("code"),
                    values.get("title"),
                    values.get("note"));
        } catch (IllegalArgumentException e) {
            throw error(number, e.getMessage());
        }
    }

    private static List<String> sorted(Set<String> keys) {
        List<String> list = new ArrayList<>(keys);
        Collections.sort(list);
        return list;
    }

    private static IllegalArgumentException error(int line, String message) {
        return new IllegalArgumentException(RESOURCE + ":" + line + ": " + message);
    }
}
