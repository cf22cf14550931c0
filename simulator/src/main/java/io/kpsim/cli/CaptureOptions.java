package io.kpsim.cli;

import io.kpsim.netfilter.UnknownModules;
import io.kpsim.pcap.CaptureFilter;
import io.kpsim.pcap.LinkLayer;
import io.kpsim.replay.NodeConfig;
import io.kpsim.replay.ReplayOptions;
import io.kpsim.replay.SavedRules;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * How {@code replay} and {@code diagnose} read captures from a real node: the node's own rules
 * ({@code --iptables-save} or {@code --nft-ruleset}, one of them), a libpcap filter, the node's
 * MAC for one-interface Ethernet captures, and checksum checking.
 */
final class CaptureOptions {

    @Option(
            names = "--iptables-save",
            paramLabel = "FILE",
            description = {
                "The node's own rules, as iptables-save prints them there (every table), instead of rules generated"
                        + " from --service. A rule kpsim cannot evaluate is an error naming its line."
            })
    Path iptablesSave;

    @Option(
            names = "--nft-ruleset",
            paramLabel = "FILE",
            description = {
                "The node's own rules, as nft list ruleset prints them there (kube-proxy's nftables mode), instead of"
                        + " rules generated from --service; not with --iptables-save. A construct kpsim cannot read"
                        + " is an error naming its line and column."
            })
    Path nftRuleset;

    @Option(
            names = "--ipset-save",
            paramLabel = "FILE",
            description = {
                "The node's ipsets, as ipset save prints them there, for the -m set rules of --iptables-save"
                        + " (hash:ip, hash:net, hash:ip,port, hash:net,port, hash:ip,port,ip, hash:ip,port,net,"
                        + " bitmap:port, bitmap:ip, list:set)."
            })
    Path ipsetSave;

    @Option(
            names = "--unknown-match",
            paramLabel = "refuse|ignore",
            description = {
                "What --iptables-save's match modules kpsim does not evaluate do: refuse (the default: an error"
                        + " naming the line and module) or ignore (treated as matching every packet; each is"
                        + " reported on stderr)."
            })
    UnknownModulesOption unknownMatch = UnknownModulesOption.refuse;

    /** The values of {@code --unknown-match}. */
    enum UnknownModulesOption {
        /** Refuse the rules. */
        refuse,
        /** Ignore the module, reporting it. */
        ignore
    }

    @Option(
            names = "--filter",
            paramLabel = "EXPR",
            description = "A libpcap filter (tcpdump syntax, e.g. 'host 10.96.0.10 or net 10.244.0.0/16'):"
                    + " only the records it selects are replayed.")
    String filter;

    @Option(
            names = "--node-mac",
            paramLabel = "MAC",
            description = "The node's MAC in an Ethernet capture of one interface (default: worked out from"
                    + " the frames to and from a service).")
    String nodeMac;

    @Option(
            names = "--verify-checksums",
            description = {
                "Check checksums as the receiving node does: a bad IPv4 header checksum is dropped by ip_rcv()"
                        + " before conntrack (the record is skipped); a bad TCP, UDP or ICMP checksum is INVALID,"
                        + " as with net.netfilter.nf_conntrack_checksum=1. An offloaded checksum (the pseudo-header"
                        + " sum only, CHECKSUM_PARTIAL) is not a bad one."
            })
    boolean verifyChecksums;

    /**
     * Checks these options against the node options and builds the replay options.
     *
     * @throws UserError one line for a conflict or a bad value; the rules file's own errors name its line
     */
    ReplayOptions toOptions(NodeOptions node) {
        SavedRules saved = null;
        if (iptablesSave != null && nftRuleset != null) {
            throw new UserError("--iptables-save and --nft-ruleset cannot be used together: give the rules of a node"
                    + " whose kube-proxy runs in iptables mode or of one in nftables mode");
        }
        String option = iptablesSave != null ? "--iptables-save" : "--nft-ruleset";
        if (iptablesSave != null || nftRuleset != null) {
            if (node.dropInvalid) {
                throw new UserError("--drop-invalid cannot be used with " + option + ": the saved rules say whether"
                        + " the node drops INVALID packets");
            }
            if (!node.services.isEmpty()) {
                throw new UserError("--service cannot be used with " + option + ": the saved rules define the"
                        + " node's services");
            }
            if (nftRuleset != null && (ipsetSave != null || unknownMatch != UnknownModulesOption.refuse)) {
                throw new UserError((ipsetSave != null ? "--ipset-save" : "--unknown-match") + " cannot be used with"
                        + " --nft-ruleset: it belongs to --iptables-save's -m set and match modules");
            }
            saved = iptablesSave != null
                    ? SavedRules.read(
                            iptablesSave,
                            ipsetSave,
                            switch (unknownMatch) {
                                case refuse -> UnknownModules.REFUSE;
                                case ignore -> UnknownModules.IGNORE;
                            })
                    : SavedRules.readNft(nftRuleset);
        } else if (ipsetSave != null) {
            throw new UserError("--ipset-save needs --iptables-save: the sets are named by the node's saved rules");
        } else if (unknownMatch != UnknownModulesOption.refuse) {
            throw new UserError("--unknown-match needs --iptables-save");
        }
        CaptureFilter compiled = filter == null ? null : CaptureFilter.compile(filter);
        long mac = -1;
        if (nodeMac != null) {
            try {
                mac = LinkLayer.parseMac(nodeMac);
            } catch (IllegalArgumentException e) {
                throw new UserError("--node-mac: " + e.getMessage(), e);
            }
        }
        return new ReplayOptions(verifyChecksums, compiled, mac, saved);
    }

    /** What reading the saved rules noted (ignored modules, iptables-legacy tables), one warning each. */
    static java.util.List<String> ruleNotes(ReplayOptions options) {
        return options.saved() == null ? java.util.List.of() : options.saved().notes();
    }

    /** A warning when the node would run no service rules at all, or {@code null}. */
    static String noRulesWarning(NodeConfig config, ReplayOptions options) {
        if (options.saved() == null && config.services().isEmpty()) {
            return "no --service and no --iptables-save: the node runs no kube-proxy rules, so no packet is NATed"
                    + " (name the ClusterIPs with --service VIP:PORT=EP:PORT, or give the node's iptables-save)";
        }
        if (options.saved() != null && options.saved().services().isEmpty()) {
            return options.saved().file() + ": no service found ("
                    + (options.saved().nftables() != null
                            ? "no verdict map keyed ip daddr . meta l4proto . th dport leads a ClusterIP:port to a dnat"
                            : "no nat rule leads a ClusterIP:port to a DNAT")
                    + ")";
        }
        return null;
    }
}
