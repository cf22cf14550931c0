package io.kpsim.packet;

/**
 * Sequence-number arithmetic modulo 2^32 (RFC 1982 serial numbers), as the kernel's
 * {@code before()} and {@code after()} in {@code include/net/tcp.h}.
 *
 * <p>Every comparison of TCP sequence or acknowledgement numbers in kpsim goes through here;
 * comparing them as unsigned or as longs would break at wrap-around.
 */
public final class Seq {

    private Seq() {}

    /** {@code before(a, b)}: {@code (s32)(a - b) < 0}. */
    public static boolean before(int a, int b) {
        return a - b < 0;
    }

    /** {@code after(a, b)}: {@code before(b, a)}. */
    public static boolean after(int a, int b) {
        return b - a < 0;
    }

    /** {@code !after(a, b)}. */
    public static boolean beforeOrEqual(int a, int b) {
        return a - b <= 0;
    }

    /** {@code !before(a, b)}. */
    public static boolean afterOrEqual(int a, int b) {
        return a - b >= 0;
    }

    /** The later of two sequence numbers. */
    public static int max(int a, int b) {
        return after(a, b) ? a : b;
    }

    /** The unsigned decimal text of a sequence number, as tcpdump prints it. */
    public static String format(int seq) {
        return Integer.toUnsignedString(seq);
    }
}
