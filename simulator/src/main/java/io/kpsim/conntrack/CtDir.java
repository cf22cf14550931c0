package io.kpsim.conntrack;

/**
 * {@code enum ip_conntrack_dir}: a packet travels in the direction of the packet that created
 * the conntrack (ORIGINAL) or the opposite one (REPLY). Not client/server: a picked-up
 * connection's ORIGINAL is whoever sent first.
 */
public enum CtDir {
    /** {@code IP_CT_DIR_ORIGINAL}. */
    ORIGINAL,
    /** {@code IP_CT_DIR_REPLY}. */
    REPLY;

    /** The other direction. */
    public CtDir opposite() {
        return this == ORIGINAL ? REPLY : ORIGINAL;
    }
}
