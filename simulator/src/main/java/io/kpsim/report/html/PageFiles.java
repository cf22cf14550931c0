package io.kpsim.report.html;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes report files whole or not at all: the text goes to a temporary file beside the target,
 * which then replaces the target in one rename, so a full disk or an interrupted run never leaves
 * half a page where a reader would open it.
 */
public final class PageFiles {

    private PageFiles() {}

    /** Writes {@code text} as UTF-8 to {@code target}, replacing it. */
    public static void write(Path target, String text) throws IOException {
        Path tmp = target.toAbsolutePath()
                .resolveSibling("." + target.getFileName() + "."
                        + ProcessHandle.current().pid() + ".tmp");
        try {
            // Not Files.createTempFile: its owner-only permissions would stay on the report.
            Files.writeString(
                    tmp,
                    text,
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
