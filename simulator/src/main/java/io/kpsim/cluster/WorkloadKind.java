package io.kpsim.cluster;

/**
 * The kinds of {@link WorkloadSpec}, one per program from the failure's history. Switching on a
 * spec's {@link WorkloadSpec#kind()} without a {@code default} makes the compiler list every place
 * that must learn a new kind: the cluster that starts it, the scenario binder that reads it, the
 * size estimate that prices it. Adding a kind is: a constant here, its spec record (permitted by
 * {@link WorkloadSpec}), the program that runs it, and its YAML keys.
 */
public enum WorkloadKind {
    /** {@link FileServerSpec}: nginx serving one file. */
    FILE_SERVER("fileServer"),
    /** {@link DownloadClientSpec}: curl in a loop. */
    DOWNLOAD("download"),
    /** {@link BoomServerSpec}: the regression-issue-74839 server. */
    BOOM_SERVER("boomServer"),
    /** {@link ConnectLoopSpec}: {@code nc} in a loop. */
    CONNECT_LOOP("connectLoop");

    private final String yamlName;

    WorkloadKind(String yamlName) {
        this.yamlName = yamlName;
    }

    /** The word a scenario's {@code kind:} uses, e.g. {@code fileServer}. */
    public String yamlName() {
        return yamlName;
    }
}
