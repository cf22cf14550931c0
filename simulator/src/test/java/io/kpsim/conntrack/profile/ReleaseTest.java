package io.kpsim.conntrack.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@link Release#parse} by hand accepts exactly what its former regular expression accepted. */
class ReleaseTest {

    private static final Pattern FORMER = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})(?:\\.(\\d{1,4}))?");

    @Test
    void parsesWhatThePatternAcceptsAndRejectsTheRest() {
        List<String> texts = new ArrayList<>(List.of(
                "4.19.255",
                "6.1",
                "0.0",
                "999.999.9999",
                "1000.1",
                "1.1000",
                "1.1.10000",
                "",
                ".",
                "4.",
                "4.19.",
                ".19",
                "4..19",
                "4.19.1.2",
                "4.19a",
                "a4.19",
                "4.19 ",
                " 4.19",
                "4,19",
                "4.19-1",
                "٤.١٩",
                "4.19.٢",
                "6.18.2",
                "05.04.0286",
                "4.19..40"));
        String alphabet = "09.x";
        for (int length = 0; length <= 5; length++) {
            collect(alphabet, "", length, texts);
        }
        for (String text : texts) {
            Matcher m = FORMER.matcher(text);
            if (m.matches()) {
                Release expected = new Release(
                        Integer.parseInt(m.group(1)),
                        Integer.parseInt(m.group(2)),
                        m.group(3) == null ? 0 : Integer.parseInt(m.group(3)));
                assertEquals(expected, Release.parse(text), text);
            } else {
                IllegalArgumentException e =
                        assertThrows(IllegalArgumentException.class, () -> Release.parse(text), text);
                assertEquals("'" + text + "' is not a kernel release such as 4.19.255", e.getMessage());
            }
        }
    }

    private static void collect(String alphabet, String prefix, int length, List<String> out) {
        if (prefix.length() == length) {
            out.add(prefix);
            return;
        }
        for (char c : alphabet.toCharArray()) {
            collect(alphabet, prefix + c, length, out);
        }
    }
}
