package io.kpsim.cluster;

/** Checks port numbers given to workloads. */
final class Ports {

    private Ports() {}

    static void check(int port, String where) {
        if (port < 1 || port > 0xffff) {
            throw new IllegalArgumentException(where + ": port " + port + " is not in 1..65535");
        }
    }
}
