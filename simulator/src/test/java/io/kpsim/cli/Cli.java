package io.kpsim.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the kpsim command line in-process and keeps what it printed, as picocli's docs recommend. */
record Cli(int exitCode, String out, String err) {

    static Cli run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Cli(code, out.toString(), err.toString());
    }

    /** The error output's lines. */
    String[] errLines() {
        return err.isEmpty() ? new String[0] : err.split("\n");
    }
}
