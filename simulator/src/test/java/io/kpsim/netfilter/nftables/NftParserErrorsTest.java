package io.kpsim.netfilter.nftables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What kpsim refuses, and how it says so: one line naming the file, line and column and the
 * construct, for nftables it does not model (statements and expressions outside kube-proxy's and
 * the CNIs' vocabulary) and for rulesets nft or the kernel would refuse.
 */
class NftParserErrorsTest {

    private static String error(String text) {
        return assertThrows(NftTextException.class, () -> NftParser.parse("node.nft", text))
                .getMessage();
    }

    private static String inChain(String rule) {
        return "table ip t {\n  chain x {\n  }\n  chain c {\n    type filter hook forward priority 0;\n    " + rule
                + "\n  }\n}\n";
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "log prefix \"x\" accept | node.nft:6:5: unsupported expression or statement 'log'",
                "limit rate 10/second accept | node.nft:6:5: unsupported expression or statement 'limit'",
                "tcp flags syn accept | node.nft:6:9: unsupported field 'tcp flags' (kpsim reads sport, dport)",
                "ct mark set 0x1 | node.nft:6:13: only 'meta mark set' is supported, not 'ct mark set'",
                "meta priority 1 accept | node.nft:6:10: unsupported expression 'meta priority'",
                "ip ttl 1 accept | node.nft:6:8: unsupported field 'ip ttl' (kpsim reads saddr, daddr, protocol)",
                "notrack | node.nft:6:5: unsupported expression or statement 'notrack'",
                "iif \"lo\" accept | node.nft:6:5: unsupported expression or statement 'iif'",
                "fib daddr . iif type local accept | node.nft:6:15: unsupported fib lookup with a device",
                "iifname { \"eth*\", \"lo\" } accept | node.nft:6:15: interface-name wildcards are supported in a"
                        + " single match only",
                "ip daddr 10.0.0.300 accept | node.nft:6:14: '10.0.0.300' is not an IPv4 address",
                "tcp dport 70000 accept | node.nft:6:15: '70000' is not a port number (0..65535)",
                "ct state bogus accept | node.nft:6:14: 'bogus' is not a ct state",
                "reject with icmp type bogus | node.nft:6:27: unknown icmp code 'bogus'",
                "jump nosuchchain | node.nft:6:5: no chain nosuchchain to jump to",
                "ip daddr @nosuchset accept | node.nft:6:5: no set nosuchset in table ip t",
                "ip daddr | node.nft:6:13: expected a value to compare 'ip daddr' with, found end of line",
                "accept comment \"a\" drop | node.nft:6:24: the comment must end the rule",
                "tcp dport 80 udp dport 53 accept | node.nft:6:18: conflicting protocols specified: tcp vs. udp",
            })
    void rulesKpsimRefuse(String rule, String message) {
        String got = error(inChain(rule));
        assertEquals(message, got.substring(0, Math.min(got.length(), message.length())), got);
        assertEquals(-1, got.indexOf('\n'), "one line");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "table arp a { } | node.nft:1:7: unsupported table family 'arp'",
                "table ip t { chain c { type filter hook ingress priority 0; } } | node.nft:1:41: unsupported hook"
                        + " 'ingress'",
                "table ip t { chain c { type nat hook forward priority 0; } } | node.nft:1:29: a nat chain cannot hook"
                        + " forward",
                "table ip t { chain c { type nat hook prerouting priority -300; } } | node.nft:1:58: a nat chain's"
                        + " priority must be above -200",
                "table ip t { chain c { type filter hook output priority dstnat; } } | node.nft:1:57: priority 'dstnat'"
                        + " is not valid at hook output",
                "table ip t { chain c { type filter hook input priority raw-5; } } | node.nft:1:56: invalid priority"
                        + " 'raw-5'",
                "table ip t { chain c { type filter hook input priority 0; masquerade; } } | node.nft:1:59: masquerade"
                        + " is not allowed in base chain c",
                "table ip t { chain c { type nat hook postrouting priority 100; dnat to 1.2.3.4; } } | node.nft:1:64:"
                        + " dnat is not allowed in base chain c",
                "table ip t { chain a { jump b; } chain b { jump a; } } | node.nft:1:44: loop detected",
                "table ip t { chain a { type filter hook input priority 0; jump b; } chain b { type filter hook"
                        + " output priority 0; } } | node.nft:1:59: cannot jump to base chain b",
                "table ip t { set s { type ipv4_addr; elements = { 10.0.0.0/8 } } } | node.nft:1:49: set s has a"
                        + " range or prefix but no 'flags interval'",
                "table ip t { set s { type ipv4_addr; flags interval; elements = { 10.0.0.0/8, 10.1.0.0/16 } } }"
                        + " | node.nft:1:65: set s: conflicting intervals specified",
                "table ip t { set s { type ether_addr; } } | node.nft:1:27: unsupported data type 'ether_addr'",
                "table ip t { set s { type ipv4_addr; } chain c { tcp dport @s accept; } } | node.nft:1:50: datatype"
                        + " mismatch: set s has type ipv4_addr, the expression is inet_service",
                "table ip t { chain c { ip daddr 1.2.3.4 dnat to 10.0.0.1:80; } } | node.nft:1:49: transport protocol"
                        + " mapping is only valid after transport protocol match",
                "add rule ip t c accept | node.nft:1:10: no table ip t",
                "table ip t { | node.nft:1:13: table ip t is not closed by '}'",
                "table ip t { chain c { accept \"unterminated } } | node.nft:1:31: unterminated string",
                "flowtable f { } | node.nft:1:1: expected 'table' or a command (add, insert, flush, delete), found"
                        + " 'flowtable'",
            })
    void rulesetsKpsimRefuse(String text, String message) {
        String got = error(text);
        assertEquals(message, got.substring(0, Math.min(got.length(), message.length())), got);
    }
}
