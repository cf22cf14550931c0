package io.kpsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kpsim.cli.KpsimProcess.Result;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./kpsim} launcher, run by bash as a user runs it, in a copy of the repository layout
 * whose jar holds the classes just compiled (the real jar is built only after the tests): the
 * class-data archive is prepared once, used afterwards, never mapped once it or the jar changed,
 * and a failure to prepare it costs one message, never a run. The build is a stand-in {@code mvn}
 * script: its progress lines, its time, its failure, and a missing Maven.
 */
class LauncherTest {

    private static final Path REPOSITORY = RunCommandTest.root();
    private static final String JAVA =
            Path.of(System.getProperty("java.home"), "bin", "java").toString();

    @TempDir
    Path root;

    private Path target;
    private Path jar;
    private Path archive;

    @BeforeEach
    void layout() throws IOException {
        assumeTrue(works("bash", "-c", "true"), "the launcher needs bash");
        Files.copy(REPOSITORY.resolve("kpsim"), root.resolve("kpsim"));
        target = Files.createDirectories(root.resolve("simulator/target"));
        jar = target.resolve("kpsim.jar");
        archive = target.resolve("kpsim.jsa");
    }

    /**
     * A runnable kpsim.jar of the compiled classes and resources, except those named in
     * {@code leftOut}; its manifest's Class-Path names the dependency jars where Maven keeps them.
     */
    private void writeJar(Path file, List<String> leftOut) throws IOException {
        writeJar(file, leftOut, List.of());
    }

    /**
     * As {@link #writeJar(Path, List)}, with the classes of the jars that hold {@code merged} copied in
     * as well, as the build's shaded jar holds them: a static archive keeps no class of a jar named
     * only by a manifest's Class-Path, so a run would open that jar for them.
     */
    private void writeJar(Path file, List<String> leftOut, List<Class<?>> merged) throws IOException {
        Path classes = Path.of(
                Main.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        List<String> classPath = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (entry.endsWith(".jar")) {
                classPath.add(Path.of(entry).toAbsolutePath().toUri().getRawPath());
            }
        }
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, Main.class.getName());
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", classPath));
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(file), manifest);
                Stream<Path> files = Files.walk(classes)) {
            for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
                String name = classes.relativize(p).toString().replace('\\', '/');
                if (leftOut.contains(name)) {
                    continue;
                }
                out.putNextEntry(new JarEntry(name));
                Files.copy(p, out);
                out.closeEntry();
            }
            for (Class<?> c : merged) {
                Path dependency = Path.of(
                        c.getProtectionDomain().getCodeSource().getLocation().getPath());
                try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(dependency.toFile())) {
                    for (java.util.zip.ZipEntry e : java.util.Collections.list(zip.entries())) {
                        if (e.isDirectory() || e.getName().startsWith("META-INF/")) {
                            continue;
                        }
                        out.putNextEntry(new JarEntry(e.getName()));
                        try (java.io.InputStream in = zip.getInputStream(e)) {
                            in.transferTo(out);
                        }
                        out.closeEntry();
                    }
                }
            }
        }
    }

    private Result launch(Map<String, String> env, String... args) {
        return launchIn(root, env, args);
    }

    /** Runs the launcher of the checkout at {@code checkout} (its copy of ./kpsim and simulator/target). */
    private static Result launchIn(Path checkout, Map<String, String> env, String... args) {
        List<String> command =
                new ArrayList<>(List.of("bash", checkout.resolve("kpsim").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(checkout.toFile());
        builder.environment().remove("KPSIM_JAVA_OPTS");
        builder.environment().remove("KPSIM_CDS");
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().putAll(env);
        return KpsimProcess.run(builder, 600);
    }

    private Result launch(String... args) {
        return launch(Map.of(), args);
    }

    /** The environment in which the launched JVM logs {@code -Xlog} selector {@code what} into {@code file}. */
    private static Map<String, String> jvmLog(String what, Path file) {
        return Map.of("KPSIM_JAVA_OPTS", "-Xlog:" + what + ":file=" + file);
    }

    /** The path of {@code benchmarks/scenarios/NAME} in this repository, as an argument. */
    private static String benchScenario(String name) {
        return REPOSITORY.resolve("benchmarks/scenarios/" + name).toString();
    }

    @Test
    void theArchiveIsPreparedOnceUsedLaterAndNeverMappedOnceChanged() throws IOException {
        writeJar(jar, List.of(), List.of(picocli.CommandLine.class, org.yaml.snakeyaml.nodes.Node.class));
        Result first = launch("--version");
        assertEquals(0, first.code(), first.err());
        assertTrue(first.out().startsWith("kpsim "), first.out());
        assertTrue(first.err().contains("kpsim: preparing a class-data archive"), first.err());
        assertTrue(first.err().contains("kpsim: class-data archive ready in "), first.err());
        assertTrue(Files.size(archive) > 1_000_000, "archive of " + Files.size(archive) + " bytes");
        assertEquals(List.of(JAVA, jar.toString()), Files.readAllLines(target.resolve("kpsim.jsa.key")));

        Path log = root.resolve("classes.log");
        Result second = launch(jvmLog("class+load=info", log), "--version");
        assertEquals(0, second.code(), second.err());
        assertEquals("", second.err());
        assertEquals(first.out(), second.out());
        String loaded = Files.readString(log);
        assertTrue(loaded.contains("io.kpsim.cli.Main source: shared objects file"), "Main not from the archive");

        // An archive cut short (a full disk, a copy gone wrong) can crash the JVM: it is replaced.
        byte[] bytes = Files.readAllBytes(archive);
        archive.toFile().setWritable(true);
        Files.write(archive, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        Result damaged = launch("--version");
        assertEquals(0, damaged.code(), damaged.err());
        assertEquals(first.out(), damaged.out());
        assertTrue(damaged.err().contains("kpsim: preparing a class-data archive"), damaged.err());
        // A whole archive again (its size varies a little from one dump to the next).
        assertTrue(Files.size(archive) > bytes.length / 2 + 1_000_000, Files.size(archive) + " bytes");

        // A rebuilt jar gets a new archive.
        Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() + 2_000));
        Result rebuilt = launch("run", benchScenario("bench-tiny-exchange.yaml"), "-q");
        assertEquals(0, rebuilt.code(), rebuilt.err());
        assertTrue(rebuilt.err().contains("kpsim: preparing a class-data archive"), rebuilt.err());
        assertTrue(Files.readString(target.resolve("kpsim.jsa.key")).startsWith(JAVA));

        // A run the archive serves never opens a jar: every class it loads and the switch catalogue come
        // from the archive, and nothing looks up a class or resource that only a jar could answer (picocli's
        // Groovy-closure lookup is switched off by Main). Opening one reads its whole central directory.
        Path runLog = root.resolve("run-classes.log");
        Result served =
                launch(jvmLog("class+load=info", runLog), "run", benchScenario("bench-tiny-exchange.yaml"), "-q");
        assertEquals(0, served.code(), served.err());
        assertEquals(rebuilt.out(), served.out());
        String runClasses = Files.readString(runLog);
        assertTrue(runClasses.contains("io.kpsim.conntrack.profile.SwitchCatalogueText source: shared objects file"));
        assertFalse(runClasses.contains("java.util.zip.ZipFile$Source"), "a jar was opened");
    }

    /**
     * The JVM maps an archive only for the class path it was dumped with, and otherwise runs without
     * it and says nothing: a checkout moved elsewhere (its jar, archive and key moved along, times
     * kept) must get a new archive, not slow starts until the next build.
     */
    @Test
    void aMovedCheckoutGetsItsOwnArchive() throws IOException {
        writeJar(jar, List.of());
        assertEquals(0, launch("--version").code()); // prepares the archive here
        Path moved = Files.createDirectories(root.resolve("moved"));
        Files.move(root.resolve("kpsim"), moved.resolve("kpsim"));
        Files.move(root.resolve("simulator"), moved.resolve("simulator"));
        Path movedJar = moved.resolve("simulator/target/kpsim.jar");

        Result first = launchIn(moved, Map.of(), "--version");
        assertEquals(0, first.code(), first.err());
        assertTrue(first.err().contains("kpsim: preparing a class-data archive"), first.err());
        assertEquals(
                List.of(JAVA, movedJar.toString()),
                Files.readAllLines(moved.resolve("simulator/target/kpsim.jsa.key")));

        Path log = root.resolve("moved-classes.log");
        Result second = launchIn(moved, jvmLog("class+load=info", log), "--version");
        assertEquals(0, second.code(), second.err());
        assertEquals("", second.err());
        assertTrue(
                Files.readString(log).contains("io.kpsim.cli.Main source: shared objects file"),
                "Main not from the moved checkout's archive");
    }

    /** Level-4 (C2) compilations of kpsim's own methods in a {@code -Xlog:jit+compilation=debug} file. */
    private static long c2Compilations(Path log) throws IOException {
        Pattern c2 = Pattern.compile("\\]\\s+\\d+\\s+[%sbn! ]*\\s4\\s+io\\.kpsim\\.\\S+::");
        try (Stream<String> lines = Files.lines(log)) {
            return lines.filter(l -> c2.matcher(l).find()).count();
        }
    }

    @Test
    void aShortRunEndsOnC1AndALongRunGetsC2Back() throws IOException {
        Files.createDirectories(root.resolve("simulator/jvm"));
        Files.copy(REPOSITORY.resolve("simulator/jvm/short-run.json"), root.resolve("simulator/jvm/short-run.json"));
        writeJar(jar, List.of());
        assertEquals(0, launch("--version").code()); // prepares the archive
        String tiny = benchScenario("bench-tiny-exchange.yaml");

        Path shortLog = root.resolve("short.log");
        Result shortRun = launch(jvmLog("jit+compilation=debug", shortLog), "run", tiny, "--format", "json");
        Result allTiers = launch(Map.of("KPSIM_JIT", "all-tiers"), "run", tiny, "--format", "json");
        assertEquals(0, shortRun.code(), shortRun.err());
        assertEquals("", shortRun.err(), "the JVM's own line about the directive reaches no one");
        assertEquals(allTiers.out(), shortRun.out());
        assertTrue(Files.size(shortLog) > 0);
        assertEquals(0, c2Compilations(shortLog), "C2 compiled kpsim's code in a short run");

        Path longLog = root.resolve("long.log");
        Result longRun = launch(
                jvmLog("jit+compilation=debug", longLog), "run", benchScenario("bench-100-downloads.yaml"), "--quiet");
        assertEquals(0, longRun.code(), longRun.err());
        assertEquals("", longRun.err());
        assertTrue(longRun.out().contains("packets 288400"), longRun.out());
        assertTrue(c2Compilations(longLog) > 0, "C2 never compiled kpsim's code in a run of 288,400 packets");
    }

    @Test
    void aFailedPreparationCostsOneMessageAndNoRun() throws IOException {
        // Without its scenario the training fails (a stand-in for anything that can go wrong there).
        writeJar(jar, List.of("io/kpsim/cli/class-data-training.yaml"));
        Result first = launch("--version");
        assertEquals(0, first.code(), first.err());
        assertTrue(first.out().startsWith("kpsim "), first.out());
        assertTrue(
                first.err().contains("kpsim: could not prepare the class-data archive; kpsim starts without it"),
                first.err());
        assertFalse(Files.exists(archive));
        assertTrue(Files.exists(target.resolve("kpsim-cds.log")));
        Result second = launch("--version");
        assertEquals(0, second.code(), second.err());
        assertEquals("", second.err(), "tried again");
        assertEquals(first.out(), second.out());
    }

    @Test
    void withoutTheArchiveNothingIsPrepared() throws IOException {
        writeJar(jar, List.of());
        Result r = launch(Map.of("KPSIM_CDS", "off"), "--version");
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
        assertFalse(Files.exists(archive));
    }

    /** A stand-in for Maven that prints what Maven prints, then writes the jar or fails. */
    private Path fakeMaven(String lines, boolean succeed) throws IOException {
        Path prepared = root.resolve("prepared.jar");
        writeJar(prepared, List.of());
        Path bin = Files.createDirectories(root.resolve("bin"));
        Path mvn = bin.resolve("mvn");
        Files.writeString(
                mvn,
                "#!/usr/bin/env bash\n"
                        + "printf '%s\\n' " + lines + "\n"
                        + (succeed ? "cp '" + prepared + "' simulator/target/kpsim.jar\nexit 0\n" : "exit 1\n"));
        assertTrue(mvn.toFile().setExecutable(true));
        return bin;
    }

    private Map<String, String> pathWith(Path bin) {
        return Map.of("PATH", bin + ":" + System.getenv("PATH"), "KPSIM_CDS", "off");
    }

    @Test
    void theBuildShowsItsProgressAndItsTime() throws IOException {
        Path bin = fakeMaven(
                "'[INFO] Scanning for projects...' '[INFO] Building kpsim simulator 0.1.0                 [2/2]'"
                        + " '[INFO] Downloading from central: https://repo.maven.apache.org/maven2/x.pom'"
                        + " '[INFO] Downloaded from central: https://repo.maven.apache.org/maven2/x.pom (8.1 kB)'"
                        + " 'Downloading from central: https://repo.maven.apache.org/maven2/x.jar'"
                        + " '[INFO] --- maven-compiler-plugin:3.13.0:compile (default-compile) @ kpsim-simulator ---'"
                        + " '[INFO] Building jar: /x/kpsim-simulator.jar' '[INFO] BUILD SUCCESS'",
                true);
        Result r = launch(pathWith(bin), "--version");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("kpsim "), r.out());
        List<String> lines = r.err().lines().toList();
        assertTrue(lines.get(0).startsWith("kpsim: building " + jar), r.err());
        assertTrue(lines.contains("kpsim: building kpsim simulator 0.1.0 [2/2]"), r.err());
        assertTrue(lines.contains("kpsim: building kpsim simulator 0.1.0 [2/2]: compiler:compile"), r.err());
        assertTrue(lines.contains("kpsim: downloading Maven plugins and dependencies (first build) ..."), r.err());
        assertTrue(lines.contains("kpsim: downloaded 2 files"), r.err());
        assertTrue(lines.get(lines.size() - 1).matches("kpsim: built " + jar + " in [0-9]+\\.[0-9] s"), r.err());
        assertFalse(r.err().contains("Building jar"), r.err());
    }

    @Test
    void aFailedBuildSaysWhyAndWhereTheLogIs() throws IOException {
        Path bin = fakeMaven(
                "'[INFO] Building kpsim simulator 0.1.0 [2/2]'"
                        + " '[ERROR] Failed to execute goal maven-compiler-plugin: Compilation failure'",
                false);
        Result r = launch(pathWith(bin), "--version");
        assertEquals(2, r.code(), r.err());
        assertEquals("", r.out());
        assertTrue(r.err().contains("[ERROR] Failed to execute goal maven-compiler-plugin: Compilation failure"));
        String last = r.err().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.matches("kpsim: build failed after [0-9.]+ s \\(Maven exit code 1; full log: .+\\)"), last);
        Path log = Path.of(last.substring(last.indexOf("full log: ") + 10, last.length() - 1));
        assertTrue(Files.readString(log).contains("Compilation failure"));
        Files.delete(log);
    }

    @Test
    void withoutMavenTheFirstRunSaysWhatToInstall() throws IOException {
        // Only the tools the launcher needs before the build, none of them Maven.
        Path bin = Files.createDirectories(root.resolve("tools"));
        for (String tool : List.of("find", "mkdir", "flock")) {
            Path found = null;
            for (String dir : System.getenv("PATH").split(":")) {
                Path candidate = Path.of(dir, tool);
                if (found == null && Files.isExecutable(candidate)) {
                    found = candidate;
                }
            }
            if (found != null) {
                Files.createSymbolicLink(bin.resolve(tool), found);
            }
        }
        Result r = launch(Map.of("PATH", bin.toString()), "--version");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("kpsim: Maven (mvn) not found on PATH"), r.err());
        assertTrue(r.err().contains("apt-get install maven"), r.err());

        Result noJava = launch(Map.of("PATH", bin.toString(), "JAVA_HOME", root.toString()), "--version");
        assertEquals(2, noJava.code(), noJava.err());
        assertTrue(noJava.err().startsWith("kpsim: java not found"), noJava.err());
    }

    @Test
    void onATerminalTheBuildIsOneLineRewrittenInPlace() throws IOException {
        assumeTrue(works("script", "--version"), "needs script(1) from util-linux for a terminal");
        Path bin = fakeMaven(
                "'[INFO] Building kpsim simulator 0.1.0 [2/2]'"
                        + " '[INFO] --- maven-compiler-plugin:3.13.0:compile (default-compile) @ kpsim-simulator ---'",
                true);
        Path typescript = root.resolve("typescript");
        List<String> command = List.of(
                "script", "-q", "-e", "-c", "bash " + root.resolve("kpsim") + " --version", typescript.toString());
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile());
        builder.environment().putAll(pathWith(bin));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("TERM", "xterm");
        Result t = KpsimProcess.run(builder, 600);
        assertEquals(0, t.code(), t.err());
        String screen = Files.readString(typescript);
        assertTrue(screen.contains("\r\033[Kkpsim: building kpsim simulator 0.1.0 [2/2]: compiler:compile ("), screen);
        assertFalse(screen.contains("kpsim: building kpsim simulator 0.1.0 [2/2]\r\n"), screen);
        assertTrue(screen.contains("kpsim: built " + jar + " in "), screen);
    }

    private static boolean works(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            try (OutputStream ignored = p.getOutputStream()) {
                p.getInputStream().readAllBytes();
            }
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
