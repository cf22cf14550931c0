package io.kpsim.conntrack;

/**
 * The {@code ctinfo} a tracked packet gets, shared by every protocol's path of
 * {@code nf_conntrack_in()}: {@code resolve_normal_ct()} makes a reply-direction packet
 * {@code IP_CT_ESTABLISHED_REPLY} and an original-direction one {@code IP_CT_NEW} until
 * {@code IPS_SEEN_REPLY} is set, which the first accepted reply sets
 * ({@code nf_conntrack_in()}: {@code if (ctinfo == IP_CT_ESTABLISHED_REPLY &&
 * !test_and_set_bit(IPS_SEEN_REPLY_BIT, &ct->status))}). Allocation-free.
 */
final class CtInfo {

    private CtInfo() {}

    /** {@code resolve_normal_ct()}: REPLY is always ESTABLISHED; ORIGINAL is NEW until a reply was seen. */
    static int of(EntryStore store, int e, int dir) {
        if (dir == 1 || (store.status(e) & Status.SEEN_REPLY) != 0) {
            return PackedResult.ESTABLISHED;
        }
        return PackedResult.NEW;
    }

    /** {@code IPS_SEEN_REPLY} is set after the first accepted reply-direction packet. */
    static void seenReply(EntryStore store, int e, int dir) {
        if (dir == 1) {
            store.addStatus(e, Status.SEEN_REPLY);
        }
    }
}
