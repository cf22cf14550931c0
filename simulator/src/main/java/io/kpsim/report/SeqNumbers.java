package io.kpsim.report;

import io.kpsim.cluster.TraceEvent;
import io.kpsim.packet.Packet;

/**
 * How the story prints TCP sequence and acknowledgement numbers: relative to each direction's
 * initial sequence number by default, as tcpdump (without {@code -S}) and Wireshark do, or the
 * raw 32-bit numbers ({@code --absolute-seq}). A relative number is the distance from the ISN in
 * sequence space, so the SYN is 0 and the first data byte is 1, and a forged segment below the ISN
 * is negative (where Wireshark would print a number near 2^32); a number whose connection's
 * handshake was not seen stays absolute. The kernel's own words (its log line, the bound a 6.1+ kernel
 * prints in its reason) are never rewritten: they are what {@code dmesg} shows.
 */
final class SeqNumbers {

    private static final SeqBases NONE = new SeqBases(-1, -1);

    private final EndpointViews views;
    private final boolean absolute;

    SeqNumbers(EndpointViews views, boolean absolute) {
        this.views = views;
        this.absolute = absolute;
    }

    /** Whether numbers are printed relative to the ISNs. */
    boolean relative() {
        return !absolute;
    }

    /** The bases for {@code p}'s numbers (both -1 when printing absolute numbers or when unknown). */
    SeqBases bases(Packet p) {
        if (absolute) {
            return NONE;
        }
        SeqBases b = views.bases(p);
        return b == null ? NONE : b;
    }

    /** The packet of {@code e} in tcpdump's words, without the leading {@code IP }. */
    String summary(TraceEvent e) {
        Packet p = e.packet();
        if (p == null) {
            return "";
        }
        SeqBases b = bases(p);
        String s = p.summary(b.seqBase(), b.ackBase());
        return s.startsWith("IP ") ? s.substring(3) : s;
    }

    /**
     * {@code value} (an unsigned 32-bit number) relative to {@code base} as a signed distance in
     * sequence space, or {@code value} itself when {@code base} is -1.
     */
    static long of(long value, long base) {
        return base < 0 ? value : (int) (value - base);
    }
}
