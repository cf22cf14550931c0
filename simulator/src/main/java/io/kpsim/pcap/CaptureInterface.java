package io.kpsim.pcap;

/**
 * One capture interface of a file: a pcap file has exactly one, a pcapng file one per Interface
 * Description Block (draft-ietf-opsawg-pcapng, section 4.2), each with its own link type, name and
 * timestamp resolution.
 *
 * <p>Why kpsim keeps it per record: {@code dumpcap -i eth0 -i cni0} writes one file with several
 * interfaces; which interface a packet was seen on, and with which link layer, is what tells a
 * packet that entered the node from the node's own copy of it.
 *
 * @param id the interface's number in its section (what an Enhanced Packet Block names)
 * @param linkType its link layer
 * @param snapLength its snap length (0 when the file says none)
 * @param name {@code if_name} (e.g. {@code eth0}, {@code any}), or {@code null} when the file has none
 * @param timestampDigits decimal digits of a second its timestamps carry: 6 for microseconds, 9 for
 *        nanoseconds (the finest kpsim keeps)
 */
public record CaptureInterface(int id, LinkType linkType, int snapLength, String name, int timestampDigits) {

    /** Validates the digits. */
    public CaptureInterface {
        if (timestampDigits < 0 || timestampDigits > 9) {
            throw new IllegalArgumentException("timestamp digits " + timestampDigits + " not in 0..9");
        }
    }

    /**
     * The capture time as a decimal string of seconds with this interface's precision, e.g.
     * {@code 1700000000.123456} for a microsecond file: what the capture really says, no more
     * digits than it has.
     */
    public String formatTimestamp(long timestampNanos) {
        return formatTimestamp(timestampNanos, timestampDigits);
    }

    /** {@link #formatTimestamp(long)} with the given number of digits after the point (0..9). */
    public static String formatTimestamp(long timestampNanos, int digits) {
        long seconds = Math.floorDiv(timestampNanos, 1_000_000_000L);
        long nanos = Math.floorMod(timestampNanos, 1_000_000_000L);
        if (digits == 0) {
            return Long.toString(seconds);
        }
        StringBuilder s = new StringBuilder(21).append(seconds).append('.');
        String fraction = Long.toString(1_000_000_000L + nanos).substring(1, 1 + digits);
        return s.append(fraction).toString();
    }
}
