package io.kpsim.report.html;

/** What a ladder lane stands for. */
public enum LaneKind {
    /** A pod's TCP stack (its end of the veth). */
    POD,
    /** A node's netfilter: its conntrack, kube-proxy's rules and its routing. */
    NODE
}
