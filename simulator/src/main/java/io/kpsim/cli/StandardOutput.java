package io.kpsim.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The process's standard output, unbuffered, turning every write error into an
 * {@link OutputFailure} instead of the silent error flag of {@link System#out}.
 *
 * <p>{@code System.out} is a {@link java.io.PrintStream}: a write to a full disk, {@code /dev/full}
 * or a closed pipe only sets its {@code checkError()} flag, so {@code kpsim run --format json >
 * /dev/full} used to exit 0 with nothing said, and text replay into {@code | head -1} ran on for
 * seconds. kpsim's commands write through this stream instead (their {@code PrintWriter} buffers
 * above it, the JSON Lines writer writes whole chunks to it), and the first failed
 * {@code write(2)} ends the command.
 */
final class StandardOutput extends OutputStream {

    private final OutputStream fd = new FileOutputStream(FileDescriptor.out);

    @Override
    public void write(int b) {
        try {
            fd.write(b);
        } catch (IOException e) {
            throw OutputFailure.of("standard output", e);
        }
    }

    @Override
    public void write(byte[] b, int off, int len) {
        try {
            fd.write(b, off, len);
        } catch (IOException e) {
            throw OutputFailure.of("standard output", e);
        }
    }

    @Override
    public void flush() {
        // unbuffered: every write went to the file descriptor already
    }
}
