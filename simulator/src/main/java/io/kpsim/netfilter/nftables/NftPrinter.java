package io.kpsim.netfilter.nftables;

/**
 * {@code nft list ruleset}'s text for a ruleset, byte for byte as nftables 1.0.6 prints it: per
 * table its comment, then its sets and maps, then its chains, each in creation order and separated
 * by a blank line; tabs for indentation; base chains with their type line after the chain
 * comment; rules as nft re-renders them; set elements in nft's sort order
 * ({@link ElementPrinter}).
 */
public final class NftPrinter {

    private NftPrinter() {}

    /** The whole ruleset. */
    public static String print(NftRuleset ruleset) {
        StringBuilder out = new StringBuilder();
        for (NftTable t : ruleset.tables()) {
            table(t, out);
        }
        return out.toString();
    }

    private static void table(NftTable t, StringBuilder out) {
        out.append("table ")
                .append(t.family().keyword())
                .append(' ')
                .append(t.name())
                .append(" {\n");
        if (t.comment() != null) {
            out.append("\tcomment \"").append(t.comment()).append("\"\n");
        }
        boolean first = true;
        for (NftSet s : t.sets()) {
            if (!first) {
                out.append('\n');
            }
            first = false;
            set(s, out);
        }
        for (NftChain c : t.chains()) {
            if (!first) {
                out.append('\n');
            }
            first = false;
            chain(c, t.family(), out);
        }
        out.append("}\n");
    }

    private static void set(NftSet s, StringBuilder out) {
        out.append('\t').append(s.isMap() ? "map " : "set ").append(s.name()).append(" {\n");
        out.append("\t\ttype ").append(s.key());
        if (s.isMap()) {
            out.append(" : ").append(s.data());
        }
        out.append('\n');
        if (s.memoryPolicy()) {
            out.append("\t\tpolicy memory\n");
        }
        if (s.size() > 0) {
            out.append("\t\tsize ").append(s.size()).append('\n');
        }
        int flags = s.flags();
        boolean others = (flags & (NftSet.CONSTANT | NftSet.DYNAMIC | NftSet.INTERVAL)) != 0;
        if (others || ((flags & NftSet.TIMEOUT) != 0 && s.timeoutMillis() < 0)) {
            out.append("\t\tflags ");
            String sep = "";
            String[] names = {"constant", "dynamic", "interval", "timeout"};
            int[] bits = {NftSet.CONSTANT, NftSet.DYNAMIC, NftSet.INTERVAL, NftSet.TIMEOUT};
            for (int i = 0; i < bits.length; i++) {
                if ((flags & bits[i]) != 0) {
                    out.append(sep).append(names[i]);
                    sep = ",";
                }
            }
            out.append('\n');
        }
        if (s.autoMerge()) {
            out.append("\t\tauto-merge\n");
        }
        if (s.timeoutMillis() >= 0) {
            out.append("\t\ttimeout ")
                    .append(NftDuration.format(s.timeoutMillis()))
                    .append('\n');
        }
        if (s.gcIntervalMillis() >= 0) {
            out.append("\t\tgc-interval ")
                    .append(NftDuration.format(s.gcIntervalMillis()))
                    .append('\n');
        }
        if (s.comment() != null) {
            out.append("\t\tcomment \"").append(s.comment()).append("\"\n");
        }
        if (!s.elements().isEmpty()) {
            out.append("\t\telements = ");
            ElementPrinter.printNamed(s, out);
            out.append('\n');
        }
        out.append("\t}\n");
    }

    private static void chain(NftChain c, NftFamily family, StringBuilder out) {
        out.append("\tchain ").append(c.name()).append(" {\n");
        if (c.comment() != null) {
            out.append("\t\tcomment \"").append(c.comment()).append("\"\n");
        }
        if (c.base() != null) {
            out.append("\t\t").append(c.base()).append('\n');
        }
        for (NftRule r : c.rules()) {
            out.append("\t\t").append(r.text(family)).append('\n');
        }
        out.append("\t}\n");
    }
}
