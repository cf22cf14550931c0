package io.kpsim.netfilter.nftables;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * kube-proxy's rulesets of every nftables band (research note Appendix C: N-29, N-29 with
 * be_liberal, N-30, N-34, N-34 IPv6) and hand-written CNI-style rulesets: what {@code nft list
 * ruleset} printed reads and prints back byte for byte, and the input {@code nft -f} was given
 * (kube-proxy's own transaction of {@code add} commands, or table blocks) prints exactly as the
 * kernel listed it, set elements in nft's order included.
 */
class NftRoundTripTest {

    static String[] rulesets() {
        return Resources.RULESETS;
    }

    @ParameterizedTest
    @MethodSource("rulesets")
    void listedRulesetPrintsBackByteForByte(String name) {
        String listed = Resources.read(name + ".list");
        assertEquals(listed, NftPrinter.print(NftParser.parse(name + ".list", listed)));
    }

    @ParameterizedTest
    @MethodSource("rulesets")
    void inputPrintsAsTheKernelListedIt(String name) {
        String listed = Resources.read(name + ".list");
        assertEquals(listed, NftPrinter.print(NftParser.parse(name + ".nft", Resources.read(name + ".nft"))));
    }

    @ParameterizedTest
    @MethodSource("rulesets")
    void printingIsAFixedPoint(String name) {
        String once = NftPrinter.print(NftParser.parse(name + ".nft", Resources.read(name + ".nft")));
        assertEquals(once, NftPrinter.print(NftParser.parse("printed", once)));
    }
}
