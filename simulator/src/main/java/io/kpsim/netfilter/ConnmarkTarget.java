package io.kpsim.netfilter;

/**
 * {@code -j CONNMARK} ({@code connmark_tg_shift()} in {@code net/netfilter/xt_connmark.c},
 * revision 1 without shifts) on the connection's mark {@code ct->mark}; a packet without a
 * conntrack is left alone. Continues with the next rule.
 *
 * <ul>
 *   <li>{@code --set-xmark v/m}: {@code ct->mark = (ct->mark & ~m) ^ v} ({@code libxt_CONNMARK}
 *       turns {@code --set-mark}, {@code --and-mark}, {@code --or-mark}, {@code --xor-mark} into it);</li>
 *   <li>{@code --save-mark}: {@code ct->mark = (ct->mark & ~ctmask) ^ (skb->mark & nfmask)};</li>
 *   <li>{@code --restore-mark}: {@code skb->mark = (skb->mark & ~nfmask) ^ (ct->mark & ctmask)}.</li>
 * </ul>
 *
 * @param mode {@link #SET}, {@link #SAVE} or {@link #RESTORE}
 * @param ctmark the value of {@code --set-xmark}
 * @param ctmask the conntrack mask
 * @param nfmask the packet mask
 */
public record ConnmarkTarget(int mode, int ctmark, int ctmask, int nfmask) implements Target {

    /** {@code XT_CONNMARK_SET}. */
    public static final int SET = 0;
    /** {@code XT_CONNMARK_SAVE}. */
    public static final int SAVE = 1;
    /** {@code XT_CONNMARK_RESTORE}. */
    public static final int RESTORE = 2;

    @Override
    public TargetKind kind() {
        return TargetKind.CONNMARK;
    }

    /** Runs the target on {@code skb}; returns what it did, for a trace. */
    String apply(Skb skb) {
        if (skb.ctEntry() == io.kpsim.conntrack.Conntrack.NO_ENTRY) {
            return "CONNMARK: no conntrack, nothing done";
        }
        int before = skb.ctMark();
        switch (mode) {
            case SET -> skb.ctMark((before & ~ctmask) ^ ctmark);
            case SAVE -> skb.ctMark((before & ~ctmask) ^ (skb.mark() & nfmask));
            default -> skb.mark((skb.mark() & ~nfmask) ^ (before & ctmask));
        }
        return mode == RESTORE
                ? "CONNMARK restore: mark " + MarkMatch.hex(skb.mark())
                : "CONNMARK " + MarkMatch.hex(before) + " -> " + MarkMatch.hex(skb.ctMark());
    }

    @Override
    public void save(StringBuilder out) {
        out.append(" -j CONNMARK");
        switch (mode) {
            case SET ->
                out.append(" --set-xmark ")
                        .append(MarkMatch.hex(ctmark))
                        .append('/')
                        .append(MarkMatch.hex(ctmask));
            case SAVE ->
                out.append(" --save-mark --nfmask ")
                        .append(MarkMatch.hex(nfmask))
                        .append(" --ctmask ")
                        .append(MarkMatch.hex(ctmask));
            default ->
                out.append(" --restore-mark --nfmask ")
                        .append(MarkMatch.hex(nfmask))
                        .append(" --ctmask ")
                        .append(MarkMatch.hex(ctmask));
        }
    }

    /** Reads CONNMARK's options ({@code libxt_CONNMARK}, revision 1). */
    static ConnmarkTarget parse(RuleWords words) {
        int mode = -1;
        int ctmark = 0;
        int ctmask = -1;
        int nfmask = -1;
        for (String o = words.nextOption(); o != null; o = words.nextOption()) {
            int before = mode;
            switch (o) {
                case "--set-xmark", "--set-mark" -> {
                    mode = SET;
                    int[] vm = RuleWords.valueMask(words.value(o), -1, o);
                    ctmark = vm[0];
                    ctmask = o.equals("--set-mark") ? vm[1] | vm[0] : vm[1];
                }
                case "--and-mark" -> {
                    mode = SET;
                    ctmark = 0;
                    ctmask = ~RuleWords.number(words.value(o), o);
                }
                case "--or-mark" -> {
                    mode = SET;
                    ctmark = RuleWords.number(words.value(o), o);
                    ctmask = ctmark;
                }
                case "--xor-mark" -> {
                    mode = SET;
                    ctmark = RuleWords.number(words.value(o), o);
                    ctmask = 0;
                }
                case "--save-mark" -> mode = SAVE;
                case "--restore-mark" -> mode = RESTORE;
                case "--ctmask" -> ctmask = RuleWords.number(words.value(o), o);
                case "--nfmask" -> nfmask = RuleWords.number(words.value(o), o);
                case "--mask" -> {
                    int m = RuleWords.number(words.value(o), o);
                    ctmask = m;
                    nfmask = m;
                }
                default -> throw new IllegalArgumentException("CONNMARK option '" + o + "' unknown");
            }
            if (before >= 0 && mode != before) {
                throw new IllegalArgumentException("CONNMARK: only one of --set-xmark, --save-mark, --restore-mark");
            }
        }
        if (mode < 0) {
            throw new IllegalArgumentException("CONNMARK target: no operation specified");
        }
        return new ConnmarkTarget(mode, ctmark, ctmask, nfmask);
    }
}
