package io.kpsim.netfilter;

import io.kpsim.packet.Ip4;

/**
 * One ready endpoint of a service port: the pod address and target port a KUBE-SEP chain DNATs to.
 *
 * @param ip the pod IP
 * @param port the target port
 */
public record KubeEndpoint(int ip, int port) {

    /** Validates the port. */
    public KubeEndpoint {
        if (port < 1 || port > 0xffff) {
            throw new IllegalArgumentException("endpoint port " + port + " is not in 1..65535");
        }
    }

    /**
     * Parses {@code a.b.c.d:port}.
     *
     * @throws IllegalArgumentException naming the text
     */
    public static KubeEndpoint parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("endpoint '" + text + "' (expected ip:port)");
        }
        try {
            return new KubeEndpoint(Ip4.parse(text.substring(0, colon)), Integer.parseInt(text.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("endpoint '" + text + "' (expected ip:port)");
        }
    }

    /** {@code ip:port}, the form kube-proxy hashes and prints. */
    @Override
    public String toString() {
        return Ip4.format(ip, port);
    }
}
