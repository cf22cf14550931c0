package io.kpsim.netfilter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Parsing both dialects, the save rendering of each target and match, and one-line errors with line numbers. */
class IptablesRestoreTest {

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "-m tcp -p tcp -d 10.96.0.10 --dport 53 -j ACCEPT | -d 10.96.0.10/32 -p tcp -m tcp --dport 53 -j ACCEPT",
                "-p udp --sport 1000:2000 ! --dport 53 -j DROP | -p udp -m udp --sport 1000:2000 ! --dport 53 -j DROP",
                "-j MARK --set-mark 0x1/0xff | -j MARK --set-xmark 0x1/0xff",
                "-j MARK --and-mark 0xff | -j MARK --set-xmark 0x0/0xffffff00",
                "-m mark --mark 16384 -j RETURN | -m mark --mark 0x4000 -j RETURN",
                "-i eth+ ! -o cni0 -j ACCEPT | -i eth+ ! -o cni0 -j ACCEPT",
                "-m conntrack --ctstate ESTABLISHED,RELATED --ctdir REPLY -j ACCEPT | -m conntrack --ctstate RELATED,ESTABLISHED --ctdir REPLY -j ACCEPT",
                "-m statistic --mode random --probability 0.2 -j ACCEPT | -m statistic --mode random --probability 0.20000000019 -j ACCEPT",
                "-m comment --comment abc_1 -j ACCEPT | -m comment --comment abc_1 -j ACCEPT",
                "-p icmp -j LOG --log-prefix \"bad: \" | -p icmp -j LOG --log-prefix \"bad: \"",
                "-m addrtype ! --dst-type LOCAL -g KUBE-X | -m addrtype ! --dst-type LOCAL -g KUBE-X",
                "-m addrtype --dst-type local,BROADCAST ! --src-type LOCAL -j ACCEPT | -m addrtype ! --src-type LOCAL --dst-type LOCAL,BROADCAST -j ACCEPT",
                "-m addrtype --dst-type LOCAL --src-type UNICAST --limit-iface-in -j ACCEPT | -m addrtype --src-type UNICAST --dst-type LOCAL --limit-iface-in -j ACCEPT",
                "-m comment --comment \"no target\" | -m comment --comment \"no target\"",
                "-p tcp --dport 80 | -p tcp -m tcp --dport 80",
                "-m sctp -p sctp -d 172.30.0.42 --dport 53 -j ACCEPT | -d 172.30.0.42/32 -p sctp -m sctp --dport 53 -j ACCEPT",
                "-p 132 ! --sport 1:2 -j ACCEPT | -p sctp -m sctp ! --sport 1:2 -j ACCEPT",
                "-m conntrack --ctstate INVALID -m nfacct --nfacct-name ct_state_invalid_dropped_pkts -j DROP"
                        + " | -m conntrack --ctstate INVALID -m nfacct --nfacct-name  ct_state_invalid_dropped_pkts -j DROP",
            })
    void rulesRenderInSaveForm(String restore, String save) {
        String text = "*filter\n:KUBE-X - [0:0]\n-A FORWARD " + restore + "\nCOMMIT\n";
        assertEquals(
                save,
                IptablesRestore.parse(text)
                        .table(Table.FILTER)
                        .chain("FORWARD")
                        .rules()
                        .get(0)
                        .saveText());
    }

    @Test
    void tableSpecificTargets() {
        Ruleset r = IptablesRestore.parse("""
                *raw
                :PREROUTING ACCEPT [0:0]
                -A PREROUTING -s 203.0.113.0/24 -j NOTRACK
                COMMIT
                *mangle
                :FORWARD ACCEPT [0:0]
                -A FORWARD -m conntrack --ctstate INVALID -j DSCP --set-dscp 0x2e
                COMMIT
                *nat
                :POSTROUTING ACCEPT [0:0]
                -A POSTROUTING -o eth0 -j MASQUERADE --random-fully
                COMMIT
                """);
        assertEquals("""
                *mangle
                :PREROUTING ACCEPT [0:0]
                :INPUT ACCEPT [0:0]
                :FORWARD ACCEPT [0:0]
                :OUTPUT ACCEPT [0:0]
                :POSTROUTING ACCEPT [0:0]
                -A FORWARD -m conntrack --ctstate INVALID -j DSCP --set-dscp 0x2e
                COMMIT
                *raw
                :PREROUTING ACCEPT [0:0]
                :OUTPUT ACCEPT [0:0]
                -A PREROUTING -s 203.0.113.0/24 -j NOTRACK
                COMMIT
                *nat
                :PREROUTING ACCEPT [0:0]
                :INPUT ACCEPT [0:0]
                :OUTPUT ACCEPT [0:0]
                :POSTROUTING ACCEPT [0:0]
                -A POSTROUTING -o eth0 -j MASQUERADE --random-fully
                COMMIT
                """, r.save());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "*filter\\n-A FORWARD -j NOPE\\nCOMMIT | line 2: target NOPE is not modelled, and no chain NOPE is declared before this line (-j NOPE)",
                "*filter\\n-A FORWARD -g NOPE\\nCOMMIT | line 2: target NOPE is not modelled, and no chain NOPE is declared before this line (-g NOPE)",
                "*mangle\\n-A PREROUTING -p tcp -j TPROXY --on-port 1 | line 2: target TPROXY is not modelled, and no chain TPROXY is declared before this line (-j TPROXY)",
                "*mangle\\n-A POSTROUTING -p udp -j CHECKSUM --checksum-fill | line 2: target CHECKSUM is not modelled, and no chain CHECKSUM is declared before this line (-j CHECKSUM)",
                "*filter\\n-A FORWARD -m hashlimit --hashlimit-upto 1/sec -j DROP | line 2: match module 'hashlimit' is not modelled (kpsim evaluates tcp, udp, icmp, multiport, conntrack, state, mark, connmark, statistic, comment, addrtype, nfacct, recent, set, limit, iprange, length, ttl, pkttype, physdev, mac, sctp; --unknown-match=ignore treats unknown modules as matching)",
                "*filter\\n-A FORWARD -m conntrack --ctexpire 1:2 -j DROP | line 2: unknown option '--ctexpire' (after -m conntrack)",
                "*filter\\n-A FORWARD -j LOG --log-level 4 | line 2: unknown option '--log-level' (after -j LOG)",
                "*filter\\n-A FORWARD -m nfacct -j DROP | line 2: -m nfacct needs --nfacct-name",
                "*filter\\n-A FORWARD -m sctp --dport 5 -j DROP | line 2: sctp match: only valid for protocol 132 (add -p sctp; the kernel's xt_check_match refuses it)",
                "*filter\\n-A FORWARD -p sctp --chunk-types any INIT -j DROP | line 2: -m sctp --chunk-types is not modelled (kpsim's packets carry no SCTP chunks)",
                "*filter\\n-A FORWARD -m addrtype -j DROP | line 2: -m addrtype needs --src-type or --dst-type",
                "*filter\\n-A FORWARD -m addrtype --src-type LOCALE -j DROP | line 2: -m addrtype: bad address type 'LOCALE' (one of UNSPEC, UNICAST, LOCAL, BROADCAST, ANYCAST, MULTICAST, BLACKHOLE, UNREACHABLE, PROHIBIT, THROW, NAT, XRESOLVE)",
                "*filter\\n-A FORWARD -m addrtype --dst-type LOCAL --limit-iface-in --limit-iface-out | line 2: -m addrtype: only one of --limit-iface-in and --limit-iface-out",
                "*nat\\n-A OUTPUT -m addrtype --dst-type LOCAL --limit-iface-in -j RETURN\\nCOMMIT | line 3: -m addrtype in chain OUTPUT (reached from OUTPUT): input interface limitation not valid in POSTROUTING and OUTPUT",
                "*filter\\n-A FORWARD --dport 80 -j ACCEPT\\nCOMMIT | line 2: --dport needs -p tcp or -p udp (or -m tcp/-m udp)",
                "*filter\\n-A FORWARD -m conntrack --ctstate BOGUS -j ACCEPT | line 2: unknown ctstate 'BOGUS' (expected INVALID, NEW, RELATED, ESTABLISHED, UNTRACKED, SNAT or DNAT)",
                "*filter\\n-A FORWARD -j DNAT --to-destination 10.0.0.1\\nCOMMIT | line 3: target in chain FORWARD is only valid in table nat, not filter",
                "*nat\\n-A POSTROUTING -j DNAT --to-destination 10.0.0.1\\nCOMMIT | line 3: target in chain POSTROUTING (-j DNAT --to-destination 10.0.0.1) cannot be used from POSTROUTING",
                "*filter\\n:A - [0:0]\\n:B - [0:0]\\n-A A -j B\\n-A B -j A\\n-A INPUT -j A\\nCOMMIT | line 7: chain loop in table filter: INPUT -> A -> B -> A",
                "-A FORWARD -j ACCEPT | line 1: '-A FORWARD -j ACCEPT' outside a table (expected *raw, *mangle, *nat or *filter)",
                "*filter\\n-A FORWARD -s 10.0.0.300 -j ACCEPT | line 2: -s '10.0.0.300' is not an IPv4 address",
                "*filter\\n-A FORWARD -m comment --comment \"open -j ACCEPT | line 2: unterminated quoted string",
                "*filter\\n-A FORWARD -j ACCEPT | line 2: table filter has no COMMIT",
                "*mangle\\n:FORWARD - [0:0]\\nCOMMIT | line 2: built-in chain FORWARD needs a policy (ACCEPT or DROP)",
                "*filter\\n-A FORWARD -s 10.0.0.1 -s 10.0.0.2 -j DROP | line 2: multiple -s flags not allowed",
            })
    void errorsNameTheLine(String text, String message) {
        IptablesTextException e =
                assertThrows(IptablesTextException.class, () -> IptablesRestore.parse(text.replace("\\n", "\n")));
        assertEquals(message, e.getMessage());
    }

    @Test
    void noflushKeepsUndeclaredChains() {
        Ruleset base = IptablesRestore.parse("*filter\n:KEEP - [0:0]\n-A KEEP -j ACCEPT\n-A INPUT -j KEEP\nCOMMIT\n");
        Ruleset after = IptablesRestore.restore(base, "*filter\n:NEW - [0:0]\n-A NEW -j DROP\nCOMMIT\n", true);
        assertEquals(1, after.table(Table.FILTER).chain("KEEP").rules().size());
        assertEquals(1, after.table(Table.FILTER).chain("INPUT").rules().size());
        Ruleset flushed = IptablesRestore.restore(base, "*filter\n:NEW - [0:0]\nCOMMIT\n", false);
        assertEquals(null, flushed.table(Table.FILTER).chain("KEEP"));
        assertEquals(0, flushed.table(Table.FILTER).chain("INPUT").rules().size());
    }
}
