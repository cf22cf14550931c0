package io.kpsim.netfilter;

/**
 * {@code [!] -i} or {@code [!] -o}: the device the packet came in by or leaves by; a trailing
 * {@code +} matches any name with that prefix ({@code ip_packet_match()}, {@code ifname_compare_aligned()}).
 *
 * @param input true for {@code -i}, false for {@code -o}
 * @param name the device name, possibly ending in {@code +}
 * @param negated {@code !}
 */
public record InterfaceMatch(boolean input, String name, boolean negated) implements Match {

    /** Validates the name. */
    public InterfaceMatch {
        if (name == null || name.isEmpty() || name.length() > 15) {
            throw new IllegalArgumentException("interface name '" + name + "' must be 1..15 characters");
        }
    }

    @Override
    public boolean matches(Skb skb) {
        String device = input ? skb.inInterface() : skb.outInterface();
        boolean hit;
        if (device == null) {
            hit = false;
        } else if (name.endsWith("+")) {
            hit = device.startsWith(name.substring(0, name.length() - 1));
        } else {
            hit = device.equals(name);
        }
        return hit != negated;
    }

    @Override
    public void save(StringBuilder out) {
        out.append(negated ? " ! " : " ").append(input ? "-i " : "-o ").append(name);
    }

    @Override
    public int saveRank() {
        return input ? 2 : 3;
    }
}
