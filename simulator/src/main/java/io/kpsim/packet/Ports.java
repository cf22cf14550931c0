package io.kpsim.packet;

/**
 * The one rule for the port of a service, a server or a client's destination: 1..65535. Port 0
 * cannot be listened on ({@code bind()} to port 0 asks the kernel to pick a free one,
 * {@code inet_csk_get_port()}), and Kubernetes refuses it for a Service's {@code port} and
 * {@code targetPort} ({@code validation.IsValidPortNum}). A header field on the wire may still
 * hold 0 (see {@code Uint16}); this is the range for what a scenario or a workload names.
 */
public final class Ports {

    /** The lowest port a service or server can use. */
    public static final int MIN = 1;
    /** The highest port. */
    public static final int MAX = 0xffff;

    private Ports() {}

    /**
     * Checks {@code port}.
     *
     * @param where the object the port belongs to, for the message ({@code file server on web-0})
     * @throws IllegalArgumentException {@code WHERE: port N is not in 1..65535}
     */
    public static void check(int port, String where) {
        if (port < MIN || port > MAX) {
            throw new IllegalArgumentException(where + ": port " + port + " is not in " + MIN + ".." + MAX);
        }
    }
}
