package io.kpsim.cli;

/**
 * A command that can say, after an internal error, which of its inputs reproduce it beyond the
 * command line itself: the scenario and the seed it ran with (which may come from the file), or
 * the capture file and record being replayed.
 */
interface Reproducible {

    /** The inputs in a few words (e.g. {@code scenario scenarios/boom-4.19.yaml, seed 7}), or {@code null}. */
    String reproduction();
}
