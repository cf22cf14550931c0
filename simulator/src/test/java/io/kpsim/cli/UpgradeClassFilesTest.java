package io.kpsim.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassReader;
import org.slf4j.Logger;
import picocli.CommandLine;

/**
 * The build step that gives kpsim.jar's Java 5 class files stack map frames ({@code
 * simulator/src/build/java/UpgradeClassFiles.java}, run by Maven after the shade plugin), run here
 * exactly as the build runs it, on a jar of picocli's and SLF4J's published classes: afterwards no
 * class file is below version 50, every other entry is the same, the same jar in gives the same
 * bytes out, and a static class-data archive dumped from it maps picocli's classes with no
 * verification left for run time, which the published classes do not get.
 */
class UpgradeClassFilesTest {

    private static final String JAVA =
            Path.of(System.getProperty("java.home"), "bin", "java").toString();

    private static final Path STEP =
            Path.of(System.getProperty("kpsim.root", "..")).resolve("simulator/src/build/java/UpgradeClassFiles.java");

    /** The published classes, and two copies of them upgraded one after the other. */
    @TempDir
    static Path dir;

    private static Path published;
    private static Path upgraded;
    private static Path again;
    private static String output;

    @BeforeAll
    static void upgradeTwice() throws Exception {
        published = publishedJar(dir, "published.jar");
        upgraded = publishedJar(dir, "upgraded.jar");
        again = publishedJar(dir, "again.jar");
        output = upgrade(upgraded);
        upgrade(again);
    }

    @Test
    void noClassBelowVersion50IsLeftAndNothingElseChanges() throws Exception {
        assertFalse(belowVersion50(published).isEmpty(), "the published picocli and SLF4J are Java 5 class files");
        assertTrue(output.contains(" class files of upgraded.jar upgraded to version 52"), output);
        assertEquals(List.of(), belowVersion50(upgraded));
        try (ZipFile before = new ZipFile(published.toFile());
                ZipFile after = new ZipFile(upgraded.toFile())) {
            List<? extends ZipEntry> was = Collections.list(before.entries());
            List<? extends ZipEntry> is = Collections.list(after.entries());
            assertEquals(names(was), names(is), "the same entries in the same order");
            for (int i = 0; i < was.size(); i++) {
                assertEquals(
                        was.get(i).getTime(), is.get(i).getTime(), was.get(i).getName());
                byte[] old = read(before, was.get(i));
                byte[] now = read(after, is.get(i));
                if (!was.get(i).getName().endsWith(".class")) {
                    assertArrayEquals(old, now, was.get(i).getName());
                    continue;
                }
                // Same class, same members; only the version and the frames differ.
                ClassReader a = new ClassReader(old);
                ClassReader b = new ClassReader(now);
                assertEquals(a.getClassName(), b.getClassName());
                assertEquals(a.getSuperName(), b.getSuperName());
                assertArrayEquals(a.getInterfaces(), b.getInterfaces());
                assertEquals(a.readShort(6) < 50 ? 52 : a.readShort(6), b.readShort(6), a.getClassName());
            }
        }
    }

    @Test
    void theSameJarGivesTheSameBytes() throws Exception {
        assertArrayEquals(Files.readAllBytes(upgraded), Files.readAllBytes(again));
    }

    @Test
    void theArchiveHoldsPicocliVerifiedOnlyAfterTheUpgrade() throws Exception {
        String before = runFromArchive(dir, published, "published");
        String after = runFromArchive(dir, upgraded, "upgraded");

        // Both archives hold picocli's classes (JDK 17 archives Java 5 classes too) ...
        assertTrue(before.contains("picocli.CommandLine source: shared objects file"), before);
        assertTrue(after.contains("picocli.CommandLine source: shared objects file"), after);
        assertFalse(loadedOutsideTheArchive(after).stream().anyMatch(l -> l.contains(" picocli.")), after);
        // ... but only the upgraded ones were verified when the archive was made, not at every start.
        assertTrue(before.contains("Verifying class picocli.CommandLine "), before);
        assertFalse(after.contains("Verifying class picocli."), after);
    }

    /** Runs picocli's own command line (AutoComplete's) from a static archive of what it loads. */
    private static String runFromArchive(Path dir, Path jar, String name) throws Exception {
        Path classes = dir.resolve(name + ".classes");
        Path archive = dir.resolve(name + ".jsa");
        String cp = jar.toString();
        run(JAVA, "-XX:DumpLoadedClassList=" + classes, "-cp", cp, "picocli.AutoComplete", "--help");
        run(JAVA, "-Xshare:dump", "-XX:SharedClassListFile=" + classes, "-XX:SharedArchiveFile=" + archive, "-cp", cp);
        return run(
                JAVA,
                "-XX:SharedArchiveFile=" + archive,
                "-Xshare:on",
                "-Xlog:class+load=info,verification=info:stdout",
                "-cp",
                cp,
                "picocli.AutoComplete",
                "--help");
    }

    private static List<String> loadedOutsideTheArchive(String log) {
        List<String> lines = new ArrayList<>();
        for (String line : log.split("\n")) {
            if (line.contains("[class,load]") && !line.contains("source: shared objects file")) {
                lines.add(line);
            }
        }
        return lines;
    }

    /** The step as the build runs it: {@code java -cp asm.jar UpgradeClassFiles.java JAR}. */
    private static String upgrade(Path jar) throws Exception {
        return run(JAVA, "-cp", asmJar().toString(), STEP.toString(), jar.toString());
    }

    /** picocli's and SLF4J's jars as published, one after the other in one jar. */
    private static Path publishedJar(Path dir, String name) throws Exception {
        Path jar = dir.resolve(name);
        try (var out = new ZipOutputStream(Files.newOutputStream(jar))) {
            for (Class<?> library : List.of(CommandLine.class, Logger.class)) {
                try (ZipFile in = new ZipFile(codeSource(library).toFile())) {
                    for (ZipEntry entry : Collections.list(in.entries())) {
                        if (entry.getName().startsWith("META-INF/")) {
                            continue;
                        }
                        out.putNextEntry(new ZipEntry(entry));
                        out.write(read(in, entry));
                        out.closeEntry();
                    }
                }
            }
        }
        return jar;
    }

    private static List<String> belowVersion50(Path jar) throws IOException {
        List<String> old = new ArrayList<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (ZipEntry entry : Collections.list(zip.entries())) {
                if (entry.getName().endsWith(".class") && new ClassReader(read(zip, entry)).readShort(6) < 50) {
                    old.add(entry.getName());
                }
            }
        }
        return old;
    }

    private static List<String> names(List<? extends ZipEntry> entries) {
        List<String> names = new ArrayList<>();
        for (ZipEntry entry : entries) {
            names.add(entry.getName());
        }
        return names;
    }

    private static byte[] read(ZipFile zip, ZipEntry entry) throws IOException {
        try (InputStream in = zip.getInputStream(entry)) {
            return in.readAllBytes();
        }
    }

    private static Path asmJar() throws URISyntaxException {
        return codeSource(ClassReader.class);
    }

    private static Path codeSource(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), String.join(" ", command));
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), String.join(" ", command) + "\n" + text);
        return text;
    }
}
