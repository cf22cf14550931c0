package io.kpsim.archfixture.engine;

/** Bottom layer: depends on nothing. */
public final class Clock {
    public long now() {
        return 0;
    }
}
