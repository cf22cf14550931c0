package io.kpsim.netfilter.nftables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@code .list} files {@link NftRoundTripTest} compares with are what this machine's nft
 * prints: each {@code .nft} input is loaded into a throw-away namespace and listed.
 */
class NftRoundTripKernelTest {

    static String[] rulesets() {
        return Resources.RULESETS;
    }

    @ParameterizedTest
    @MethodSource("rulesets")
    void nftListsWhatTheFileSays(String name) throws IOException {
        try (ThrowawayNetns ns = ThrowawayNetns.create()) {
            assertNull(ns.load(Resources.read(name + ".nft")));
            assertEquals(Resources.read(name + ".list"), ns.listRuleset());
        }
    }
}
