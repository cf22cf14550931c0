package io.kpsim.archfixture.packet;

/** Bottom layer: plain data. */
public record Frame(int src, int dst) {}
