package io.kpsim.pcap;

import io.kpsim.packet.SackBlock;
import io.kpsim.packet.TcpOptions;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.List;

/**
 * TCP options to and from wire bytes.
 *
 * <p>Encoding follows Linux's {@code tcp_options_write()} (net/ipv4/tcp_output.c) word by word:
 * MSS; timestamps behind {@code NOP NOP}, or behind SACK-permitted when both are sent; SACK-permitted
 * alone behind {@code NOP NOP}; window scale behind one {@code NOP}; SACK blocks behind
 * {@code NOP NOP}. Decoding follows {@code tcp_parse_options()} and conntrack's
 * {@code tcp_options()}/{@code tcp_sack()}: EOL ends the list, NOP is skipped, a length below 2 or
 * running past the header ends parsing (the kernel's "silly options" and "don't parse partial
 * options"), an option of a known kind with the wrong length is ignored, unknown kinds are skipped.
 */
final class TcpOptionCodec {

    static final int EOL = 0;
    static final int NOP = 1;
    static final int MSS = 2;
    static final int WINDOW = 3;
    static final int SACK_PERM = 4;
    static final int SACK = 5;
    static final int TIMESTAMP = 8;
    /** Option bytes a TCP header can carry (data offset 15 words minus the 20-byte header). */
    static final int MAX_LENGTH = 40;
    /** SACK blocks kept: the most the 40 option bytes hold (2 + 4 × 8), as {@link TcpOptions} allows. */
    private static final int MAX_SACK_BLOCKS = 4;

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    private TcpOptionCodec() {}

    /**
     * Writes {@code options} at {@code offset}; returns the bytes written, always
     * {@link TcpOptions#encodedLength()}.
     *
     * @throws IllegalArgumentException when the options do not fit in 40 bytes
     */
    static int encode(TcpOptions options, byte[] b, int offset) {
        int length = options.encodedLength();
        if (length > MAX_LENGTH) {
            throw tooLong(options, length);
        }
        int p = offset;
        if (options.hasMss()) {
            b[p] = MSS;
            b[p + 1] = 4;
            Bytes.putShort(b, p + 2, options.mss());
            p += 4;
        }
        if (options.timestamps()) {
            if (options.sackPermitted()) {
                b[p] = SACK_PERM;
                b[p + 1] = 2;
            } else {
                b[p] = NOP;
                b[p + 1] = NOP;
            }
            b[p + 2] = TIMESTAMP;
            b[p + 3] = 10;
            Bytes.putInt(b, p + 4, options.tsVal());
            Bytes.putInt(b, p + 8, options.tsEcr());
            p += 12;
        } else if (options.sackPermitted()) {
            b[p] = NOP;
            b[p + 1] = NOP;
            b[p + 2] = SACK_PERM;
            b[p + 3] = 2;
            p += 4;
        }
        if (options.hasWindowScale()) {
            b[p] = NOP;
            b[p + 1] = WINDOW;
            b[p + 2] = 3;
            b[p + 3] = (byte) options.windowScale();
            p += 4;
        }
        List<SackBlock> blocks = options.sackBlocks();
        if (!blocks.isEmpty()) {
            b[p] = NOP;
            b[p + 1] = NOP;
            b[p + 2] = SACK;
            b[p + 3] = (byte) (2 + 8 * blocks.size());
            p += 4;
            for (SackBlock block : blocks) {
                Bytes.putInt(b, p, block.left());
                Bytes.putInt(b, p + 4, block.right());
                p += 8;
            }
        }
        return p - offset;
    }

    /** Why {@code options}, {@code length} bytes encoded, cannot be sent. */
    static IllegalArgumentException tooLong(TcpOptions options, int length) {
        return new IllegalArgumentException("TCP options " + options.tcpdump() + " need " + length
                + " bytes, a TCP header holds at most " + MAX_LENGTH);
    }

    /**
     * Writes the options of the TCP segment packed at {@code w[at]} ({@link TcpHeaderWords}) at
     * {@code offset}, in {@link #encode(TcpOptions, byte[], int)}'s layout, and returns the
     * unfolded Internet-checksum sum of the bytes written, added up from the values word by word
     * rather than read back (the options start at an even offset and fill whole 16-bit words).
     */
    static long encode(long[] w, int at, byte[] b, int offset) {
        int present = TcpHeaderWords.present(w, at);
        if (present == 0 && TcpHeaderWords.sackBlocks(w, at) == 0) {
            return 0;
        }
        long sum = 0;
        int p = offset;
        if ((present & TcpHeaderWords.HAS_MSS) != 0) {
            int mss = (int) w[at] & 0xffff;
            INT.set(b, p, (word(MSS, 4) << 16) | mss);
            sum += word(MSS, 4) + mss;
            p += 4;
        }
        if ((present & TcpHeaderWords.TIMESTAMPS) != 0) {
            int lead = (present & TcpHeaderWords.SACK_PERMITTED) != 0 ? word(SACK_PERM, 2) : word(NOP, NOP);
            long ts = w[at + 5];
            INT.set(b, p, (lead << 16) | word(TIMESTAMP, 10));
            LONG.set(b, p + 4, ts);
            sum += lead + word(TIMESTAMP, 10) + halves((int) (ts >>> 32)) + halves((int) ts);
            p += 12;
        } else if ((present & TcpHeaderWords.SACK_PERMITTED) != 0) {
            INT.set(b, p, (word(NOP, NOP) << 16) | word(SACK_PERM, 2));
            sum += word(NOP, NOP) + word(SACK_PERM, 2);
            p += 4;
        }
        if ((present & TcpHeaderWords.HAS_WINDOW_SCALE) != 0) {
            int scale = (int) (w[at] >>> 32) & 0xff;
            INT.set(b, p, (word(NOP, WINDOW) << 16) | word(3, scale));
            sum += word(NOP, WINDOW) + word(3, scale);
            p += 4;
        }
        int n = TcpHeaderWords.sackBlocks(w, at);
        if (n != 0) {
            int kind = word(SACK, (2 + 8 * n) & 0xff);
            INT.set(b, p, (word(NOP, NOP) << 16) | kind);
            sum += word(NOP, NOP) + kind;
            p += 4;
            for (int i = 0; i < n; i++) {
                long block = w[at + TcpHeaderWords.MIN_WORDS + i];
                LONG.set(b, p, block);
                sum += halves((int) (block >>> 32)) + halves((int) block);
                p += 8;
            }
        }
        return sum;
    }

    /** The 16-bit word of two option bytes. */
    private static int word(int high, int low) {
        return (high << 8) | low;
    }

    private static long halves(int value) {
        return (value >>> 16) + (value & 0xffff);
    }

    /** Parses {@code length} option bytes at {@code offset}; {@link TcpOptions#NONE} when none. */
    static TcpOptions decode(byte[] b, int offset, int length) {
        int mss = TcpOptions.ABSENT;
        int windowScale = TcpOptions.ABSENT;
        boolean sackPermitted = false;
        boolean timestamps = false;
        int tsVal = 0;
        int tsEcr = 0;
        SackBlock[] sack = null;
        int sackBlocks = 0;
        int p = offset;
        int end = offset + length;
        while (p < end) {
            int kind = b[p] & 0xff;
            if (kind == EOL) {
                break;
            }
            if (kind == NOP) {
                p++;
                continue;
            }
            if (p + 1 >= end) {
                break;
            }
            int size = b[p + 1] & 0xff;
            if (size < 2 || p + size > end) {
                break;
            }
            switch (kind) {
                case MSS -> {
                    if (size == 4) {
                        mss = Bytes.getShort(b, p + 2);
                    }
                }
                case WINDOW -> {
                    if (size == 3) {
                        windowScale = b[p + 2] & 0xff;
                    }
                }
                case SACK_PERM -> sackPermitted |= size == 2;
                case TIMESTAMP -> {
                    if (size == 10) {
                        timestamps = true;
                        tsVal = Bytes.getInt(b, p + 2);
                        tsEcr = Bytes.getInt(b, p + 6);
                    }
                }
                case SACK -> {
                    if (size >= 10 && (size - 2) % 8 == 0) {
                        if (sack == null) {
                            sack = new SackBlock[MAX_SACK_BLOCKS];
                        }
                        for (int q = p + 2; q < p + size && sackBlocks < MAX_SACK_BLOCKS; q += 8) {
                            sack[sackBlocks++] = new SackBlock(Bytes.getInt(b, q), Bytes.getInt(b, q + 4));
                        }
                    }
                }
                default -> {
                    // an option conntrack does not read (MD5, TFO, MPTCP, ...): skipped by length
                }
            }
            p += size;
        }
        if (mss == TcpOptions.ABSENT
                && windowScale == TcpOptions.ABSENT
                && !sackPermitted
                && !timestamps
                && sack == null) {
            return TcpOptions.NONE;
        }
        return new TcpOptions(mss, windowScale, sackPermitted, sackList(sack, sackBlocks), timestamps, tsVal, tsEcr);
    }

    /** The first {@code n} blocks as an immutable list, which {@link TcpOptions} keeps without copying. */
    private static List<SackBlock> sackList(SackBlock[] s, int n) {
        return switch (n) {
            case 0 -> List.of();
            case 1 -> List.of(s[0]);
            case 2 -> List.of(s[0], s[1]);
            case 3 -> List.of(s[0], s[1], s[2]);
            default -> List.of(s[0], s[1], s[2], s[3]);
        };
    }
}
