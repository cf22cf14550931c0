package io.kpsim.replay;

/**
 * An output of {@code kpsim replay} that formats and writes on its own thread
 * ({@link OutputThread}): {@link JsonLinesWriter}, {@link ReplayTextWriter}. The command flushes it
 * before anything else goes to the same stream, and after a bad capture, so the lines before the
 * bad record are printed before its error.
 */
public interface RecordOutput {

    /** Writes every record handed over so far, flushes the output and throws a write error, if any. */
    void flush();
}
