package io.kpsim.packet;

/** Range checks for 16-bit port and identifier fields. */
final class Ports {

    private Ports() {}

    static void check(int port, String what) {
        if (port < 0 || port > 0xffff) {
            throw new IllegalArgumentException(what + " " + port + " is not in 0..65535");
        }
    }
}
