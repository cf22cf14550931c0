package io.kpsim.oracle;

import java.security.SecureRandom;
import java.util.List;

/**
 * The two network namespaces one oracle run owns, a harness and a node ({@code PREFIX-ID-h},
 * {@code PREFIX-ID-n}, the id drawn from the pid and a random number so that concurrent runs never
 * share a name), deleted by {@link #release} or, should the JVM end first, by a shutdown hook. The
 * conntrack oracle ({@link OracleTopology}) and the nftables oracle ({@link NftOracleNode}) both
 * build on it, so neither can leave a namespace behind.
 */
final class NamespacePair {

    private final String id;
    private final String harness;
    private final String node;
    private final Thread shutdownHook;

    private NamespacePair(String prefix, String id, String teardownThread) {
        this.id = id;
        this.harness = prefix + "-" + id + "-h";
        this.node = prefix + "-" + id + "-n";
        this.shutdownHook = new Thread(this::delete, teardownThread + "-" + id);
    }

    /**
     * Draws fresh names and registers the shutdown hook; nothing is created yet.
     *
     * @param prefix the names' prefix ({@code kps} for the conntrack oracle, {@code kpn} for nftables)
     * @param teardownThread the shutdown hook thread's name, before the id
     */
    static NamespacePair claim(String prefix, String teardownThread) {
        String id = Long.toString(ProcessHandle.current().pid(), 36)
                + Integer.toString(36 * 36 + new SecureRandom().nextInt(35 * 36 * 36), 36);
        NamespacePair pair = new NamespacePair(prefix, id, teardownThread);
        Runtime.getRuntime().addShutdownHook(pair.shutdownHook);
        return pair;
    }

    /** The id both names carry (also used for the run's interface names). */
    String id() {
        return id;
    }

    String harness() {
        return harness;
    }

    String node() {
        return node;
    }

    /** Adds both namespaces with IPv6 off: the oracles compare IPv4, and IPv6 neighbour discovery would add packets. */
    void create() {
        Commands.run(List.of("ip", "netns", "add", harness));
        Commands.run(List.of("ip", "netns", "add", node));
        for (String ns : List.of(harness, node)) {
            Commands.inNetns(
                    ns,
                    "sysctl",
                    "-q",
                    "-w",
                    "net.ipv6.conf.all.disable_ipv6=1",
                    "net.ipv6.conf.default.disable_ipv6=1");
        }
    }

    /** Deletes the namespaces that exist and drops the shutdown hook. */
    void release() {
        delete();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to; it deletes the namespaces itself
        }
    }

    private void delete() {
        for (String ns : List.of(harness, node)) {
            if (Commands.run(List.of("ip", "netns", "list")).contains(ns)) {
                Commands.exec(List.of("ip", "netns", "delete", ns));
            }
        }
    }
}
