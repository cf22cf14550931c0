package io.kpsim.netfilter.nftables;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The corpus that {@link NftPrintCorpusTest} holds kpsim to is what this machine's nft really does,
 * checked in a throw-away namespace: the inputs nft accepts are loaded together (one table each,
 * {@code t0}, {@code t1}, ...) and listed once; each input the corpus says nft refuses is loaded
 * alone and must fail.
 */
class NftPrintCorpusKernelTest {

    @Test
    void corpusIsWhatNftLists() throws IOException {
        List<PrintCorpus.Entry> entries = PrintCorpus.entries();
        List<String> wrong = new ArrayList<>();
        try (ThrowawayNetns ns = ThrowawayNetns.create()) {
            StringBuilder all = new StringBuilder();
            for (int i = 0; i < entries.size(); i++) {
                PrintCorpus.Entry e = entries.get(i);
                if (e.refused()) {
                    String error = ns.load(e.file());
                    if (error == null) {
                        wrong.add("line " + e.line() + " " + e + ": corpus says nft refuses it, nft accepts it");
                    }
                } else {
                    all.append(e.table("t" + i));
                }
            }
            String error = ns.load(all.toString());
            assertEquals(null, error, "nft refused the accepted entries");
            String[] tables = ns.listRuleset().split("(?m)^table ");
            for (String t : tables) {
                if (t.isEmpty()) {
                    continue;
                }
                String name = t.substring(t.indexOf(' ') + 1, t.indexOf(" {"));
                PrintCorpus.Entry e = entries.get(Integer.parseInt(name.substring(1)));
                String body = t.substring(t.indexOf("chain c {"));
                String listed = body.split("\n")[2].strip();
                if (!listed.equals(e.listed())) {
                    wrong.add("line " + e.line() + " " + e + ": corpus says '" + e.listed() + "', nft lists '" + listed
                            + "'");
                }
            }
        }
        assertEquals(List.of(), wrong);
    }
}
