import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

/**
 * A build step of kpsim.jar (run by Maven after the shade plugin, and by {@code
 * UpgradeClassFilesTest}): rewrites every class file older than Java 6 (class file version below 50)
 * in a jar to version {@value #TARGET_MAJOR} (Java 8) with stack map frames, and checks that none is
 * left.
 *
 * <p>Why: picocli 4.7.7 and slf4j 1.7 are compiled for Java 5 (version 49). JDK 17's static class-data
 * archive stores such classes but does not verify them when it is dumped, so the old type-inferring
 * verifier runs on picocli's classes at every start of kpsim (about 27 ms of a tiny run; HotSpot's
 * {@code Verifier::verify} takes the inference path for versions below 50, {@code
 * StackMapTable} verification from 50 on, and only from 51 on without falling back to inference).
 * With frames, the archive's dump verifies them once and every run maps them verified
 * (src/docs/benchmarks.md, section 7, "Session 10").
 *
 * <p>What changes in a class: its version number and a {@code StackMapTable} attribute per method,
 * which ASM computes ({@link ClassWriter#COMPUTE_FRAMES}); the instructions, constants and other
 * attributes are copied as they are. The frames' merged types are found in the jar's own class files
 * and the JDK's (never by loading a class), so the result depends only on the input. A method that
 * still used the subroutine instructions {@code jsr}/{@code ret} (not allowed from version 51) makes
 * ASM fail: the build stops instead of shipping a class the JVM would reject. The jar's entries keep
 * their order, names, times and compression method, and the other entries' bytes are copied, so the
 * same jar in gives the same jar out. The modified files are named in the jar's {@code
 * META-INF/NOTICE} (Apache-2.0, section 4(b), for picocli; slf4j's MIT licence asks only for its
 * notice).
 *
 * <p>Usage: {@code java -cp asm.jar UpgradeClassFiles.java JAR}: rewrites JAR in place (through a
 * temporary file beside it) and prints how many classes it upgraded.
 */
public final class UpgradeClassFiles {

    /** The class file version the old classes get: Java 8, verified by type checking with no fallback. */
    static final int TARGET_MAJOR = Opcodes.V1_8;

    /** Class files below this version carry no stack map frames. */
    static final int FIRST_WITH_FRAMES = Opcodes.V1_6;

    private UpgradeClassFiles() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: java -cp asm.jar UpgradeClassFiles.java JAR");
            System.exit(2);
        }
        Path jar = Path.of(args[0]);
        int upgraded = upgrade(jar);
        List<String> old = olderThanFrames(jar);
        if (!old.isEmpty()) {
            throw new IllegalStateException(jar + " still holds " + old.size() + " class files below version "
                    + FIRST_WITH_FRAMES + ", e.g. " + old.get(0));
        }
        System.out.println("UpgradeClassFiles: " + upgraded + " class files of " + jar.getFileName()
                + " upgraded to version " + TARGET_MAJOR + " with stack map frames");
    }

    /** Rewrites the jar's old class files in place; returns how many it rewrote. */
    static int upgrade(Path jar) throws IOException {
        Path tmp = jar.resolveSibling(jar.getFileName() + ".upgrade.tmp");
        int upgraded = 0;
        try (ZipFile in = new ZipFile(jar.toFile());
                ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(tmp))) {
            Hierarchy hierarchy = new Hierarchy(in);
            for (ZipEntry entry : Collections.list(in.entries())) {
                byte[] bytes = read(in, entry);
                ZipEntry copy = new ZipEntry(entry);
                if (isClass(entry) && major(bytes) < FIRST_WITH_FRAMES) {
                    bytes = withFrames(bytes, hierarchy);
                    CRC32 crc = new CRC32();
                    crc.update(bytes);
                    copy.setSize(bytes.length);
                    copy.setCrc(crc.getValue());
                    upgraded++;
                }
                if (copy.getMethod() == ZipEntry.DEFLATED) {
                    copy.setCompressedSize(-1);
                }
                out.putNextEntry(copy);
                out.write(bytes);
                out.closeEntry();
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING);
        return upgraded;
    }

    /** The jar's class files below version {@value #FIRST_WITH_FRAMES}, by entry name. */
    static List<String> olderThanFrames(Path jar) throws IOException {
        List<String> old = new ArrayList<>();
        try (ZipFile in = new ZipFile(jar.toFile())) {
            for (ZipEntry entry : Collections.list(in.entries())) {
                if (isClass(entry) && major(read(in, entry)) < FIRST_WITH_FRAMES) {
                    old.add(entry.getName());
                }
            }
        }
        return old;
    }

    /** The class at version {@value #TARGET_MAJOR} with frames computed; everything else as it was. */
    static byte[] withFrames(byte[] bytes, Hierarchy hierarchy) {
        ClassReader reader = new ClassReader(bytes);
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_FRAMES) {
            @Override
            protected String getCommonSuperClass(String type1, String type2) {
                return hierarchy.commonSuperClass(type1, type2);
            }
        };
        reader.accept(
                new ClassVisitor(Opcodes.ASM9, writer) {
                    @Override
                    public void visit(
                            int version,
                            int access,
                            String name,
                            String signature,
                            String superName,
                            String[] interfaces) {
                        super.visit(TARGET_MAJOR, access, name, signature, superName, interfaces);
                    }
                },
                // Old frames, if any, are recomputed; nothing else is expanded or dropped.
                ClassReader.SKIP_FRAMES);
        return writer.toByteArray();
    }

    static boolean isClass(ZipEntry entry) {
        return !entry.isDirectory() && entry.getName().endsWith(".class");
    }

    /** The class file's major version (bytes 6 and 7, after the magic number and the minor version). */
    static int major(byte[] bytes) {
        if (bytes.length < 8 || (bytes[0] & 0xff) != 0xca || (bytes[1] & 0xff) != 0xfe) {
            throw new IllegalArgumentException("not a class file");
        }
        return ((bytes[6] & 0xff) << 8) | (bytes[7] & 0xff);
    }

    private static byte[] read(ZipFile zip, ZipEntry entry) throws IOException {
        try (InputStream in = zip.getInputStream(entry)) {
            return in.readAllBytes();
        }
    }

    /**
     * Superclasses and interfaces of the types a frame merges, read from the jar's class files and,
     * for the JDK's types, from the running JDK's class files (as resources, never loaded or
     * initialised), so that the computed frames do not depend on what this JVM has loaded.
     */
    static final class Hierarchy {
        private final ZipFile jar;
        private final Map<String, ClassReader> headers = new HashMap<>();

        Hierarchy(ZipFile jar) {
            this.jar = jar;
        }

        /**
         * The most specific class both types are assignable to, as {@link
         * ClassWriter#getCommonSuperClass} defines it: one of the two if it is assignable from the
         * other, {@code java/lang/Object} if either is an interface, else the first superclass of
         * {@code type1} that {@code type2} is assignable to.
         */
        String commonSuperClass(String type1, String type2) {
            if (assignableFrom(type1, type2)) {
                return type1;
            }
            if (assignableFrom(type2, type1)) {
                return type2;
            }
            if (isInterface(type1) || isInterface(type2)) {
                return "java/lang/Object";
            }
            String type = type1;
            do {
                type = header(type).getSuperName();
            } while (!assignableFrom(type, type2));
            return type;
        }

        private boolean assignableFrom(String target, String type) {
            if (target.equals(type)) {
                return true;
            }
            ClassReader header = header(type);
            String superName = header.getSuperName();
            if (superName != null && assignableFrom(target, superName)) {
                return true;
            }
            for (String itf : header.getInterfaces()) {
                if (assignableFrom(target, itf)) {
                    return true;
                }
            }
            return false;
        }

        private boolean isInterface(String type) {
            return (header(type).getAccess() & Opcodes.ACC_INTERFACE) != 0;
        }

        private ClassReader header(String type) {
            ClassReader known = headers.get(type);
            if (known != null) {
                return known;
            }
            String file = type + ".class";
            try {
                byte[] bytes;
                ZipEntry entry = jar.getEntry(file);
                if (entry != null) {
                    bytes = read(jar, entry);
                } else {
                    try (InputStream in = ClassLoader.getSystemResourceAsStream(file)) {
                        if (in == null) {
                            throw new IllegalStateException("no class file for " + type
                                    + " in the jar or the JDK: cannot compute stack map frames");
                        }
                        bytes = in.readAllBytes();
                    }
                }
                ClassReader header = new ClassReader(bytes);
                headers.put(type, header);
                return header;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
