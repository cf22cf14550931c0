package io.kpsim.cli;

import picocli.CommandLine.IVersionProvider;

/** Reads the version from the jar manifest ({@code Implementation-Version}). */
final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        return new String[] {
            "kpsim " + (v == null ? "development build" : v), "Linux conntrack models: 4.19, 6.18 (default)"
        };
    }
}
