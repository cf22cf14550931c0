import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A build step of kpsim (run by Maven in the {@code generate-sources} phase): writes the Java source
 * of {@code io.kpsim.conntrack.profile.SwitchCatalogueText}, whose {@code text()} returns the kernel
 * switch catalogue {@code switches.txt} exactly, character for character.
 *
 * <p>Why: every run reads the catalogue while it starts. Read as a resource, it made every run open
 * kpsim.jar and read its central directory (about 2,450 entries), which nothing else in a run that
 * the class-data archive serves needs; as a class, it comes from the archive like the rest
 * (src/docs/benchmarks.md, section 7, "Session 11"). {@code switches.txt} stays the one place the
 * facts are written; {@code SwitchCatalogueTest} checks that the class gives its text.
 *
 * <p>The text is split into string constants of at most {@value #PART} characters (a class file's
 * constant holds at most 65,535 bytes), escaped so that any character survives. The same input gives
 * the same source.
 *
 * <p>Usage: {@code java CatalogueText.java SWITCHES_TXT OUTPUT_DIRECTORY}.
 */
public final class CatalogueText {

    /** Characters per string constant: at most three bytes each in a class file, under 65,535. */
    static final int PART = 8_000;

    private CatalogueText() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: java CatalogueText.java SWITCHES_TXT OUTPUT_DIRECTORY");
            System.exit(2);
        }
        String text = decode(Files.readAllBytes(Path.of(args[0])), args[0]);
        Path file = Path.of(args[1], "io", "kpsim", "conntrack", "profile", "SwitchCatalogueText.java");
        Files.createDirectories(file.getParent());
        String source = source(text);
        if (!Files.exists(file) || !Files.readString(file).equals(source)) { // unchanged: no recompilation
            Files.writeString(file, source);
        }
    }

    private static String decode(byte[] bytes, String name) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(name + " is not UTF-8", e);
        }
    }

    static String source(String text) {
        StringBuilder out = new StringBuilder(text.length() * 11 / 10 + 2_000);
        out.append("package io.kpsim.conntrack.profile;\n\n")
                .append("/**\n")
                .append(" * The catalogue {@code switches.txt}, written here by the build (simulator/src/build/java/\n")
                .append(" * CatalogueText.java) so that a run reads it from the class-data archive instead of\n")
                .append(" * opening the jar. Generated: edit switches.txt, not this file.\n")
                .append(" */\n")
                .append("final class SwitchCatalogueText {\n\n")
                .append("    private SwitchCatalogueText() {}\n\n")
                .append("    /** The text of {@code switches.txt}. */\n")
                .append("    static String text() {\n")
                .append("        return new StringBuilder(")
                .append(text.length())
                .append(")\n");
        int start = 0;
        while (start < text.length()) {
            int end = Math.min(text.length(), start + PART);
            if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
                end--; // a surrogate pair stays in one constant
            }
            out.append("                .append(\"");
            escape(text, start, end, out);
            out.append("\")\n");
            start = end;
        }
        return out.append("                .toString();\n    }\n}\n").toString();
    }

    private static void escape(String text, int start, int end, StringBuilder out) {
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
    }
}
