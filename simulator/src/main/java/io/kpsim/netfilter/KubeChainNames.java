package io.kpsim.netfilter;

import io.kpsim.packet.Protocol;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * kube-proxy's chain names, computed as {@code pkg/proxy/iptables/proxier.go} computes them:
 * {@code portProtoHash()} is the first 16 characters of the RFC 4648 base32 encoding of
 * {@code sha256(servicePortName + protocol)}, and {@code servicePortEndpointChainName()} hashes
 * {@code servicePortName + protocol + "ip:port"}. The service port name is {@code ns/name:port}
 * ({@code ns/name} when the port is unnamed) and the protocol is lower case.
 */
public final class KubeChainNames {

    private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    private KubeChainNames() {}

    /** {@code KUBE-SVC-} + {@code portProtoHash(servicePortName, protocol)}. */
    public static String serviceChain(String servicePortName, Protocol protocol) {
        return "KUBE-SVC-" + hash16(servicePortName + lower(protocol));
    }

    /** {@code KUBE-SEP-} + the hash of the service port name, protocol and endpoint {@code ip:port}. */
    public static String endpointChain(String servicePortName, Protocol protocol, String endpoint) {
        return "KUBE-SEP-" + hash16(servicePortName + lower(protocol) + endpoint);
    }

    /** {@code strings.ToLower(string(protocol))}. */
    static String lower(Protocol protocol) {
        return protocol.name().toLowerCase(Locale.ROOT);
    }

    /** The first 16 base32 characters (80 bits, 10 bytes) of the SHA-256 of {@code text}. */
    static String hash16(String text) {
        byte[] digest = Sha256.digest(text.getBytes(StandardCharsets.UTF_8));
        StringBuilder out = new StringBuilder(16);
        long buffer = 0;
        int bits = 0;
        for (int i = 0; i < 10; i++) {
            buffer = (buffer << 8) | (digest[i] & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(BASE32.charAt((int) (buffer >>> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        return out.toString();
    }
}
