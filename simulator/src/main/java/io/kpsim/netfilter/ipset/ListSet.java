package io.kpsim.netfilter.ipset;

import io.kpsim.packet.Packet;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code list:set} ({@code ip_set_list_set.c}): an ordered list of other sets; a packet is in it
 * when it is in one of them, tested in order with the same direction flags ({@code list_set_ktest()}).
 */
final class ListSet extends IpSet {

    private final List<String> members = new ArrayList<>();
    private final int size;

    ListSet(String name, int size) {
        super(name, "list:set", 1, false);
        this.size = size;
    }

    @Override
    public int size() {
        return members.size();
    }

    /** The member sets' names, in order. */
    List<String> members() {
        return members;
    }

    @Override
    int test(Packet p, int flags, int dim, long now, IpSets sets) {
        for (String m : members) {
            IpSet s = sets.get(m);
            if (s != null && s.matches(p, flags, dim, false, now, sets)) {
                return MATCH;
            }
        }
        return NO_MATCH;
    }

    @Override
    void add(String element, ElementOptions options) {
        if (members.size() >= size) {
            throw new IllegalArgumentException("list:set is full (size " + size + ")");
        }
        if (members.contains(element)) {
            throw new IllegalArgumentException("set " + element + " is already a member");
        }
        members.add(element);
    }
}
