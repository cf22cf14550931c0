package io.kpsim.netfilter;

import java.util.Locale;

/**
 * {@code -j TOS --set-tos v[/m]} ({@code tos_tg()} in {@code net/netfilter/xt_DSCP.c}):
 * {@code tos = (tos & ~m) ^ v}; {@code libxt_TOS} turns {@code --and-tos}, {@code --or-tos},
 * {@code --xor-tos} into it, and a symbolic value ({@code Minimize-Delay}, ...) has mask 0x3f.
 * Valid in the mangle table; continues with the next rule.
 *
 * @param value the bits XORed in
 * @param mask the bits cleared first
 */
public record TosTarget(int value, int mask) implements Target {

    /** Validates the byte values. */
    public TosTarget {
        if ((value & ~0xff) != 0 || (mask & ~0xff) != 0) {
            throw new IllegalArgumentException("TOS value and mask are 8-bit");
        }
    }

    @Override
    public TargetKind kind() {
        return TargetKind.TOS;
    }

    /** The TOS byte after the target. */
    public int apply(int tos) {
        return (tos & ~mask & 0xff) ^ value;
    }

    @Override
    public void save(StringBuilder out) {
        out.append(String.format(Locale.ROOT, " -j TOS --set-tos 0x%02x/0x%02x", value, mask));
    }

    /** Reads TOS's option ({@code libxt_TOS}, revision 1). */
    static TosTarget parse(RuleWords words) {
        String o = words.nextOption();
        if (o == null) {
            throw new IllegalArgumentException("TOS needs --set-tos, --and-tos, --or-tos or --xor-tos");
        }
        String v = words.value(o);
        TosTarget t = switch (o) {
            case "--set-tos" -> {
                int sym = symbolic(v);
                if (sym >= 0) {
                    yield new TosTarget(sym, 0x3f);
                }
                int[] vm = RuleWords.valueMask(v, 0xff, o);
                yield new TosTarget(vm[0] & 0xff, vm[1] & 0xff);
            }
            case "--and-tos" -> new TosTarget(0, ~RuleWords.number(v, o, 0, 255) & 0xff);
            case "--or-tos" -> {
                int b = RuleWords.number(v, o, 0, 255);
                yield new TosTarget(b, b);
            }
            case "--xor-tos" -> new TosTarget(RuleWords.number(v, o, 0, 255), 0);
            default -> throw new IllegalArgumentException("TOS option '" + o + "' unknown");
        };
        if (words.nextOption() != null) {
            throw new IllegalArgumentException("TOS takes one option");
        }
        return t;
    }

    private static int symbolic(String v) {
        return switch (v) {
            case "Minimize-Delay" -> 0x10;
            case "Maximize-Throughput" -> 0x08;
            case "Maximize-Reliability" -> 0x04;
            case "Minimize-Cost" -> 0x02;
            case "Normal-Service" -> 0x00;
            default -> -1;
        };
    }
}
