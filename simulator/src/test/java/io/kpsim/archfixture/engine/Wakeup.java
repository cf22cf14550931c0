package io.kpsim.archfixture.engine;

import io.kpsim.archfixture.cli.Command;

/** Violation: the bottom layer reaches up to the command line. */
public final class Wakeup {
    public Command command;
}
