package io.kpsim.packet;

import java.util.List;

/**
 * The TCP options kpsim understands: MSS (RFC 9293), window scale and timestamps (RFC 7323),
 * SACK-permitted and SACK blocks (RFC 2018).
 *
 * <p>Conntrack reads window scale and SACK-permitted from SYNs ({@code tcp_options()}) and the
 * SACK blocks of every segment ({@code tcp_sack()}); the endpoint TCP stack produces all of them.
 *
 * @param mss maximum segment size, or {@link #ABSENT}
 * @param windowScale window scale shift count as sent (0..255; the kernel clamps to 14), or {@link #ABSENT}
 * @param sackPermitted whether SACK-permitted was sent
 * @param sackBlocks SACK blocks, in option order (at most 4)
 * @param timestamps whether the timestamp option is present
 * @param tsVal timestamp value (meaningful when {@code timestamps})
 * @param tsEcr timestamp echo reply (meaningful when {@code timestamps})
 */
public record TcpOptions(
        int mss,
        int windowScale,
        boolean sackPermitted,
        List<SackBlock> sackBlocks,
        boolean timestamps,
        int tsVal,
        int tsEcr) {

    /** Marks an option that is not present. */
    public static final int ABSENT = -1;

    /** No options at all. */
    public static final TcpOptions NONE = new TcpOptions(ABSENT, ABSENT, false, List.of(), false, 0, 0);

    /** Copies the SACK list so the record stays immutable. */
    public TcpOptions {
        sackBlocks = List.copyOf(sackBlocks);
        if (sackBlocks.size() > 4) {
            throw new IllegalArgumentException(
                    "at most 4 SACK blocks fit in the TCP option space, got " + sackBlocks.size());
        }
    }

    /** SYN options as Linux sends them: MSS, SACK-permitted, timestamps, window scale. */
    public static TcpOptions syn(int mss, int windowScale, boolean sackPermitted) {
        return new TcpOptions(mss, windowScale, sackPermitted, List.of(), false, 0, 0);
    }

    /** Whether a window-scale option is present. */
    public boolean hasWindowScale() {
        return windowScale != ABSENT;
    }

    /** Whether an MSS option is present. */
    public boolean hasMss() {
        return mss != ABSENT;
    }

    /** These options with the given SACK blocks instead. */
    public TcpOptions withSackBlocks(List<SackBlock> blocks) {
        return new TcpOptions(mss, windowScale, sackPermitted, blocks, timestamps, tsVal, tsEcr);
    }

    /** These options with a timestamp option. */
    public TcpOptions withTimestamps(int value, int echoReply) {
        return new TcpOptions(mss, windowScale, sackPermitted, sackBlocks, true, value, echoReply);
    }

    /**
     * The encoded length in bytes as Linux lays the options out ({@code tcp_options_write()}):
     * MSS 4, timestamps 12 (SACK-permitted rides in their two padding bytes when both are sent),
     * SACK-permitted alone 4 ({@code NOP NOP}), window scale 4 ({@code NOP}), SACK blocks
     * {@code 4 + 8n} ({@code NOP NOP}). Always a multiple of 4, the data-offset granularity.
     */
    public int encodedLength() {
        int length = 0;
        if (hasMss()) {
            length += 4;
        }
        if (timestamps) {
            length += 12;
        } else if (sackPermitted) {
            length += 4;
        }
        if (hasWindowScale()) {
            length += 4;
        }
        if (!sackBlocks.isEmpty()) {
            length += 4 + 8 * sackBlocks.size();
        }
        return length;
    }

    /** tcpdump's option list, e.g. {@code [mss 1460,sackOK,wscale 7]}; empty text when none. */
    public String tcpdump() {
        StringBuilder s = new StringBuilder();
        if (hasMss()) {
            s.append("mss ").append(mss).append(',');
        }
        if (sackPermitted) {
            s.append("sackOK,");
        }
        if (timestamps) {
            s.append("TS val ")
                    .append(Integer.toUnsignedString(tsVal))
                    .append(" ecr ")
                    .append(Integer.toUnsignedString(tsEcr))
                    .append(',');
        }
        if (hasWindowScale()) {
            s.append("wscale ").append(windowScale).append(',');
        }
        if (!sackBlocks.isEmpty()) {
            s.append("sack ").append(sackBlocks.size());
            for (SackBlock b : sackBlocks) {
                s.append(" {").append(b).append('}');
            }
            s.append(',');
        }
        if (s.length() == 0) {
            return "";
        }
        s.setLength(s.length() - 1);
        return "[" + s + "]";
    }
}
