package io.kpsim.pcap;

/**
 * Runs a classic BPF program (the instructions {@code pcap_compile()} produces) over one record,
 * as libpcap's own interpreter does ({@code pcap_filter_with_aux_data()} in {@code bpf_filter.c}):
 * registers A and X, sixteen scratch words, loads in network byte order, and a packet rejected
 * (return 0) by a load past the captured bytes or a division by zero.
 *
 * <p>Why in Java: libpcap's {@code pcap_offline_filter()} would be one native call per record,
 * which is what kpsim's reader avoids. The program is still libpcap's, compiled from the user's
 * tcpdump expression ({@link CaptureFilter}); only its execution moves here. The instruction set
 * is small and fixed (the BSD Packet Filter of McCanne and Jacobson, 1993, as {@code bpf.h}
 * encodes it); Linux's ancillary loads ({@code SKF_AD_*}) are for kernel socket filters, and
 * {@code pcap_compile()} on a file's link type never emits them.
 */
final class BpfMachine {

    // instruction classes
    private static final int LD = 0x00;
    private static final int LDX = 0x01;
    private static final int ST = 0x02;
    private static final int STX = 0x03;
    private static final int ALU = 0x04;
    private static final int JMP = 0x05;
    private static final int RET = 0x06;
    private static final int MISC = 0x07;
    // sizes
    private static final int W = 0x00;
    private static final int H = 0x08;
    private static final int B = 0x10;
    // modes
    private static final int IMM = 0x00;
    private static final int ABS = 0x20;
    private static final int IND = 0x40;
    private static final int MEM = 0x60;
    private static final int LEN = 0x80;
    private static final int MSH = 0xa0;
    // ALU and jump operations
    private static final int ADD = 0x00;
    private static final int SUB = 0x10;
    private static final int MUL = 0x20;
    private static final int DIV = 0x30;
    private static final int OR = 0x40;
    private static final int AND = 0x50;
    private static final int LSH = 0x60;
    private static final int RSH = 0x70;
    private static final int NEG = 0x80;
    private static final int MOD = 0x90;
    private static final int XOR = 0xa0;
    private static final int JA = 0x00;
    private static final int JEQ = 0x10;
    private static final int JGT = 0x20;
    private static final int JGE = 0x30;
    private static final int JSET = 0x40;
    // sources
    private static final int X_SRC = 0x08;
    private static final int A_SRC = 0x10;
    private static final int TXA = 0x80;
    private static final int MEMWORDS = 16;

    private final short[] code;
    private final byte[] jt;
    private final byte[] jf;
    private final int[] k;
    private final int[] mem = new int[MEMWORDS];

    /**
     * A machine for one program.
     *
     * @throws IllegalArgumentException when the arrays differ in length or the program is empty
     */
    BpfMachine(short[] code, byte[] jt, byte[] jf, int[] k) {
        if (code.length == 0 || jt.length != code.length || jf.length != code.length || k.length != code.length) {
            throw new IllegalArgumentException("a BPF program needs one code, jt, jf and k per instruction");
        }
        this.code = code;
        this.jt = jt;
        this.jf = jf;
        this.k = k;
    }

    /** Instructions in the program. */
    int length() {
        return code.length;
    }

    /**
     * Runs the program.
     *
     * @param p the captured bytes
     * @param wireLength the record's original length ({@code BPF_LEN} loads it)
     * @param captured how many bytes of {@code p} were captured
     * @return the program's return value: 0 rejects the record
     */
    int run(byte[] p, int wireLength, int captured) {
        int a = 0;
        int x = 0;
        int pc = 0;
        while (true) {
            if (pc < 0 || pc >= code.length) {
                return 0; // pcap_compile() never jumps out; a program that does rejects, as bpf_validate() would refuse
                // it
            }
            int c = code[pc] & 0xffff;
            int kk = k[pc];
            switch (c & 0x07) {
                case LD -> {
                    int mode = c & 0xe0;
                    if (mode == IMM) {
                        a = kk;
                    } else if (mode == LEN) {
                        a = wireLength;
                    } else if (mode == MEM) {
                        a = mem[kk & (MEMWORDS - 1)];
                    } else if (mode == ABS || mode == IND) {
                        long at = (kk & 0xffffffffL) + (mode == IND ? (x & 0xffffffffL) : 0);
                        long v = load(p, captured, at, c & 0x18);
                        if (v < 0) {
                            return 0;
                        }
                        a = (int) v;
                    } else {
                        return 0;
                    }
                }
                case LDX -> {
                    int mode = c & 0xe0;
                    if (mode == IMM) {
                        x = kk;
                    } else if (mode == LEN) {
                        x = wireLength;
                    } else if (mode == MEM) {
                        x = mem[kk & (MEMWORDS - 1)];
                    } else if (mode == MSH) {
                        long v = load(p, captured, kk & 0xffffffffL, B);
                        if (v < 0) {
                            return 0;
                        }
                        x = ((int) v & 0xf) << 2; // 4 * (P[k] & 0xf): an IPv4 header's length
                    } else {
                        return 0;
                    }
                }
                case ST -> mem[kk & (MEMWORDS - 1)] = a;
                case STX -> mem[kk & (MEMWORDS - 1)] = x;
                case ALU -> {
                    int operand = (c & X_SRC) != 0 ? x : kk;
                    switch (c & 0xf0) {
                        case ADD -> a += operand;
                        case SUB -> a -= operand;
                        case MUL -> a *= operand;
                        case DIV -> {
                            if (operand == 0) {
                                return 0;
                            }
                            a = Integer.divideUnsigned(a, operand);
                        }
                        case MOD -> {
                            if (operand == 0) {
                                return 0;
                            }
                            a = Integer.remainderUnsigned(a, operand);
                        }
                        case OR -> a |= operand;
                        case AND -> a &= operand;
                        case XOR -> a ^= operand;
                        case LSH -> a = Integer.compareUnsigned(operand, 32) < 0 ? a << operand : 0;
                        case RSH -> a = Integer.compareUnsigned(operand, 32) < 0 ? a >>> operand : 0;
                        case NEG -> a = -a;
                        default -> {
                            return 0;
                        }
                    }
                }
                case JMP -> {
                    int op = c & 0xf0;
                    if (op == JA) {
                        pc += 1 + kk;
                        continue;
                    }
                    int operand = (c & X_SRC) != 0 ? x : kk;
                    boolean taken = switch (op) {
                        case JEQ -> a == operand;
                        case JGT -> Integer.compareUnsigned(a, operand) > 0;
                        case JGE -> Integer.compareUnsigned(a, operand) >= 0;
                        case JSET -> (a & operand) != 0;
                        default -> false;
                    };
                    pc += 1 + ((taken ? jt[pc] : jf[pc]) & 0xff);
                    continue;
                }
                case RET -> {
                    int source = c & 0x18;
                    return source == A_SRC ? a : source == X_SRC ? x : kk;
                }
                case MISC -> {
                    if ((c & 0xf8) == TXA) {
                        a = x;
                    } else {
                        x = a;
                    }
                }
                default -> {
                    return 0;
                }
            }
            pc++;
        }
    }

    /** A big-endian load of the given size at {@code at}, or -1 when it reaches past the captured bytes. */
    private static long load(byte[] p, int captured, long at, int size) {
        int width = size == W ? 4 : size == H ? 2 : size == B ? 1 : -1;
        if (width < 0 || at + width > captured) {
            return -1;
        }
        int i = (int) at;
        return switch (width) {
            case 4 -> Bytes.getInt(p, i) & 0xffffffffL;
            case 2 -> Bytes.getShort(p, i);
            default -> p[i] & 0xff;
        };
    }
}
