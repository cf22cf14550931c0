package io.kpsim.netfilter.nftables;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Test resources under {@code nftables/}. */
final class Resources {

    /** The rulesets with an {@code .nft} input and the {@code .list} nft printed for it. */
    static final String[] RULESETS = {
        "kube-proxy-n29",
        "kube-proxy-n29-liberal",
        "kube-proxy-n30",
        "kube-proxy-n34",
        "kube-proxy-n34-ip6",
        "cni-flannel",
        "cni-calico-style",
        "cni-hostfw"
    };

    private Resources() {}

    /** The text of {@code nftables/NAME}. */
    static String read(String name) {
        try (InputStream in = Resources.class.getResourceAsStream("/nftables/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no test resource nftables/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
