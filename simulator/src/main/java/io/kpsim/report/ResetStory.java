package io.kpsim.report;

import java.util.List;

/**
 * How the first reset connection of a run died, told as the five packets of the blog post
 * "kube-proxy Subtleties: Debugging an Intermittent Connection Reset" (kubernetes issue 74839):
 * the server's out-of-window segment that conntrack marks INVALID at the client's node, the
 * skipped reverse NAT, the client's RST to the pod IP, that RST's pod-to-pod path, and the
 * server accepting it.
 *
 * @param resetAtNanos when the server accepted the RST
 * @param clientPod the pod whose connection was reset
 * @param serverPod the pod that accepted the RST
 * @param clientNode the node whose conntrack marked the segment INVALID on its way to the client
 * @param invalidReason conntrack's words for the segment, e.g. "SEQ is over the upper bound (over
 *                      the window of the receiver)"
 * @param steps the five steps, numbered 1 to 5
 * @param clientLearned how the client's own socket ended, when the trace shows it (the RST its next
 *                      segment drew, as curl's "Connection reset by peer"), else {@code null}
 * @param relativeSeq whether the steps give TCP numbers relative to each side's initial sequence
 *                    number (the default, as tcpdump and Wireshark) rather than absolute
 */
public record ResetStory(
        long resetAtNanos,
        String clientPod,
        String serverPod,
        String clientNode,
        String invalidReason,
        List<StoryStep> steps,
        String clientLearned,
        boolean relativeSeq) {

    /** Copies the steps. */
    public ResetStory {
        steps = List.copyOf(steps);
    }

    /** This story with how the client learned of the reset. */
    ResetStory withClientLearned(String text) {
        return new ResetStory(resetAtNanos, clientPod, serverPod, clientNode, invalidReason, steps, text, relativeSeq);
    }
}
