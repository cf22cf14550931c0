package io.kpsim.report.html;

/** How one hop of a packet ended at the arrow's head. */
public enum HopEnd {
    /** A node ran its hooks on the packet and sent it on. */
    FORWARDED,
    /** The packet reached a pod's TCP stack. */
    DELIVERED,
    /** A node dropped it (a rule, conntrack, or no route). */
    DROPPED,
    /** The link lost it (random loss or a full queue); the arrow stops short of the lane. */
    LOST
}
