package io.kpsim.netfilter.nftables;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules of {@code nftables/print-corpus.txt}: each written form with the form nft 1.0.6 lists
 * it in (or {@code ERROR} when nft refuses it), and the table and chain it was loaded into.
 */
final class PrintCorpus {

    /**
     * One corpus line.
     *
     * @param family the table family
     * @param chainSpec the chain's {@code type ... hook ... priority ...;} line
     * @param sets set declarations placed in the table
     * @param input the rule as written
     * @param listed what nft lists, or {@code ERROR}
     * @param line the corpus line number
     */
    record Entry(String family, String chainSpec, String sets, String input, String listed, int line) {

        /** Whether nft refuses the input. */
        boolean refused() {
            return listed.equals("ERROR");
        }

        /** The text {@code nft -f} is given: a table with the sets, an empty chain x, and chain c with the rule. */
        String file() {
            return table("t");
        }

        /** {@link #file()} with the table named {@code name}. */
        String table(String name) {
            return "table " + family + " " + name + " {\n"
                    + (sets.isEmpty() ? "" : "  " + sets.replace(" && ", "\n  ") + "\n") + "  chain x {\n  }\n"
                    + "  chain c {\n    " + chainSpec + "\n    " + input + "\n  }\n}\n";
        }

        @Override
        public String toString() {
            return family + ": " + input;
        }
    }

    private PrintCorpus() {}

    /** Every entry, in file order. */
    static List<Entry> entries() {
        String text;
        try (InputStream in = PrintCorpus.class.getResourceAsStream("/nftables/print-corpus.txt")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        List<Entry> out = new ArrayList<>();
        String family = null;
        String spec = null;
        String sets = null;
        int n = 0;
        for (String line : text.split("\n")) {
            n++;
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            if (line.startsWith("% ")) {
                String[] f = line.substring(2).split("\\|", -1);
                family = f[0].strip();
                spec = f[1].strip();
                sets = f[2].strip();
                continue;
            }
            int tab = line.indexOf('\t');
            out.add(new Entry(family, spec, sets, line.substring(0, tab), line.substring(tab + 1), n));
        }
        return out;
    }
}
