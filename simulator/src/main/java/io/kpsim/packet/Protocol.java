package io.kpsim.packet;

/**
 * The IPv4 protocol numbers kpsim tracks ({@code IPPROTO_*} in {@code include/uapi/linux/in.h}).
 * Anything else is carried as {@link #OTHER} and handled like the kernel's generic tracker.
 */
public enum Protocol {
    /** {@code IPPROTO_ICMP}. */
    ICMP(1),
    /** {@code IPPROTO_TCP}. */
    TCP(6),
    /** {@code IPPROTO_UDP}. */
    UDP(17),
    /** Any other protocol number. */
    OTHER(-1);

    private final int number;

    Protocol(int number) {
        this.number = number;
    }

    /** The protocol number in the IPv4 header; -1 for {@link #OTHER}. */
    public int number() {
        return number;
    }

    /** Maps an IPv4 protocol number to the enum; unknown numbers map to {@link #OTHER}. */
    public static Protocol of(int number) {
        return switch (number) {
            case 1 -> ICMP;
            case 6 -> TCP;
            case 17 -> UDP;
            default -> OTHER;
        };
    }
}
