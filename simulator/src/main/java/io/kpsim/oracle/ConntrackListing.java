package io.kpsim.oracle;

import io.kpsim.conntrack.TcpState;
import io.kpsim.conntrack.Tuple;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.Protocol;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses {@code conntrack -L} (conntrack-tools, default output) into entries with their two
 * tuples and TCP state, e.g.
 * {@code tcp 6 431999 ESTABLISHED src=10.0.0.2 dst=10.96.0.10 sport=40001 dport=80
 * src=10.0.1.2 dst=10.0.0.2 sport=8080 dport=40001 [ASSURED] mark=0 use=1}.
 *
 * <p>The first tuple is {@code tuplehash[IP_CT_DIR_ORIGINAL]}, the second
 * {@code tuplehash[IP_CT_DIR_REPLY]} ({@code ctnetlink_dump_tuples}). The listing shows
 * confirmed entries only, which is exactly DESIGN.md's "confirmed entry" for {@code tcp_state}.
 */
final class ConntrackListing {

    /**
     * One listed entry.
     *
     * @param original the original-direction tuple
     * @param reply the reply-direction tuple
     * @param tcpState the TCP state, {@code null} for other protocols
     */
    record Entry(Tuple original, Tuple reply, TcpState tcpState) {
    }

    private final List<Entry> entries;

    private ConntrackListing(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** Parses the whole output; lines that are not IPv4 TCP/UDP/ICMP entries are skipped. */
    static ConntrackListing parse(String output) {
        List<Entry> entries = new ArrayList<>();
        for (String line : output.split("\n")) {
            Entry e = parseLine(line.trim());
            if (e != null) {
                entries.add(e);
            }
        }
        return new ConntrackListing(entries);
    }

    List<Entry> entries() {
        return entries;
    }

    /** The entry whose original or reply tuple equals {@code tuple}, or {@code null}. */
    Entry find(Tuple tuple) {
        for (Entry e : entries) {
            if (e.original.equals(tuple) || e.reply.equals(tuple)) {
                return e;
            }
        }
        return null;
    }

    static Entry parseLine(String line) {
        String[] t = line.split("\\s+");
        if (t.length < 4) {
            return null;
        }
        Protocol protocol = switch (t[0]) {
            case "tcp" -> Protocol.TCP;
            case "udp" -> Protocol.UDP;
            case "icmp" -> Protocol.ICMP;
            default -> null;
        };
        if (protocol == null) {
            return null;
        }
        TcpState state = null;
        int i = 3;
        if (protocol == Protocol.TCP && !t[3].contains("=")) {
            state = tcpState(t[3]);
            i = 4;
        }
        List<Map<String, String>> tuples = new ArrayList<>();
        Map<String, String> current = null;
        for (; i < t.length; i++) {
            int eq = t[i].indexOf('=');
            if (eq < 0) {
                continue;
            }
            String key = t[i].substring(0, eq);
            if (key.equals("src")) {
                current = new HashMap<>();
                tuples.add(current);
            }
            if (current != null && !current.containsKey(key)) {
                current.put(key, t[i].substring(eq + 1));
            }
        }
        if (tuples.size() < 2) {
            return null;
        }
        return new Entry(tuple(protocol, tuples.get(0), line), tuple(protocol, tuples.get(1), line), state);
    }

    private static Tuple tuple(Protocol protocol, Map<String, String> kv, String line) {
        try {
            int src = Ip4.parse(kv.get("src"));
            int dst = Ip4.parse(kv.get("dst"));
            return switch (protocol) {
                case TCP, UDP -> new Tuple(protocol, src, Integer.parseInt(kv.get("sport")), dst,
                        Integer.parseInt(kv.get("dport")));
                case ICMP -> new Tuple(protocol, src, Integer.parseInt(kv.get("id")), dst,
                        Integer.parseInt(kv.get("type")) << 8 | Integer.parseInt(kv.get("code")));
                case OTHER -> new Tuple(protocol, src, 0, dst, 0);
            };
        } catch (RuntimeException e) {
            throw new OracleException("cannot parse conntrack -L line '" + line + "': " + e.getMessage(), e);
        }
    }

    /** conntrack-tools' state names; {@code LISTEN} is the old name of {@code SYN_SENT2}'s slot. */
    static TcpState tcpState(String name) {
        if (name.equals("LISTEN")) {
            return TcpState.SYN_SENT2;
        }
        try {
            return TcpState.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new OracleException("conntrack -L printed an unknown TCP state '" + name + "'", e);
        }
    }
}
