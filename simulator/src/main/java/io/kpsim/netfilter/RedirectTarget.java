package io.kpsim.netfilter;

/**
 * {@code -j REDIRECT [--to-ports PORT[-PORT]]} ({@code redirect_tg4()} and
 * {@code nf_nat_redirect_ipv4()} in {@code net/netfilter/nf_nat_redirect.c}): a DNAT to the node
 * itself. At PREROUTING the new destination is the first address of the device the packet came in
 * by (no address: the packet is dropped); at OUTPUT it is 127.0.0.1. Without {@code --to-ports}
 * the port is kept. Registered for the nat table at PREROUTING and OUTPUT; {@code libxt_REDIRECT}
 * wants {@code -p tcp} or {@code -p udp} before a port.
 *
 * @param minPort lowest new destination port, 0 to keep the port
 * @param maxPort highest new destination port (equal to {@code minPort} for one port)
 */
public record RedirectTarget(int minPort, int maxPort) implements Target {

    /** {@code INADDR_LOOPBACK}: where OUTPUT redirects to. */
    public static final int LOOPBACK = 0x7f000001;

    /** Validates the port range. */
    public RedirectTarget {
        if (minPort < 0 || maxPort > 0xffff || maxPort < minPort) {
            throw new IllegalArgumentException(
                    "REDIRECT port range " + minPort + "-" + maxPort + " is not within 0-65535");
        }
    }

    @Override
    public TargetKind kind() {
        return TargetKind.REDIRECT;
    }

    @Override
    public void save(StringBuilder out) {
        out.append(" -j REDIRECT");
        if (minPort != 0) {
            out.append(" --to-ports ").append(minPort);
            if (maxPort != minPort) {
                out.append('-').append(maxPort);
            }
        }
    }
}
