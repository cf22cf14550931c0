package io.kpsim.netfilter.nftables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every rule of the corpus reads and prints back exactly as nft 1.0.6 lists it, and what nft
 * refuses kpsim refuses with a positioned one-line error. The corpus itself is checked against
 * the real nft by {@link NftPrintCorpusKernelTest}.
 */
class NftPrintCorpusTest {

    static List<PrintCorpus.Entry> entries() {
        return PrintCorpus.entries();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("entries")
    void printsAsNftLists(PrintCorpus.Entry e) {
        if (e.refused()) {
            NftTextException ex = assertThrows(
                    NftTextException.class,
                    () -> NftParser.parse("corpus", e.file()),
                    "corpus line " + e.line() + ": " + e.input());
            assertTrue(ex.getMessage().matches("corpus:\\d+:\\d+: .+"), ex.getMessage());
            assertTrue(!ex.getMessage().contains("\n"), ex.getMessage());
            return;
        }
        NftRuleset r = NftParser.parse("corpus", e.file());
        NftTable t = r.tables().get(0);
        assertEquals(e.listed(), t.chain("c").rules().get(0).text(t.family()), "corpus line " + e.line());
    }
}
