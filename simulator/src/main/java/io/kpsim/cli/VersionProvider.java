package io.kpsim.cli;

import picocli.CommandLine.IVersionProvider;

/** Reads the version from the jar manifest ({@code Implementation-Version}). */
final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() {
        return new String[] {"kpsim " + version(), "Linux conntrack models: 4.19, 6.18 (default)"};
    }

    /** The version, e.g. {@code 0.1.0}, or {@code development build} when run from classes, not the jar. */
    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "development build" : v;
    }
}
