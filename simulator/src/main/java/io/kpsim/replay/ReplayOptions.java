package io.kpsim.replay;

import io.kpsim.pcap.CaptureFilter;

/**
 * How {@code kpsim replay} and {@code kpsim diagnose} read captures, beyond the node itself.
 *
 * @param verifyChecksums check checksums as the receiving node does (see {@link Replayer})
 * @param filter a libpcap filter every record must pass before replay, or {@code null}
 * @param nodeMac the node's MAC for Ethernet captures ({@code --node-mac}) as 48 bits, or -1 to work it out
 * @param saved the node's own rules ({@code --iptables-save}), or {@code null} for rules generated from the services
 */
public record ReplayOptions(boolean verifyChecksums, CaptureFilter filter, long nodeMac, SavedRules saved) {

    /** Plain replay: no filter, no saved rules, the node's MAC worked out. */
    public static ReplayOptions plain(boolean verifyChecksums) {
        return new ReplayOptions(verifyChecksums, null, NodeMacFinder.UNKNOWN, null);
    }
}
