package io.kpsim.netfilter.nftables;

import io.kpsim.packet.Ip4;
import java.util.List;

/**
 * Reads the NAT statements of a rule for {@link StatementParser}: {@code dnat}/{@code snat [ip|ip6]
 * to ADDRESS[:PORT[-PORT]]} or {@code to KEY map { ... }}, and {@code masquerade [to :PORT]}, each
 * with its flags ({@code random}, {@code fully-random}, {@code persistent}). A port needs a
 * transport match before it, as {@code nft -f} demands ("transport protocol mapping is only valid
 * after transport protocol match").
 */
final class NatStatementParser {

    private final Cursor in;
    private final ValueParser values;
    private final NftFamily family;
    private final ExpressionParser expressions;
    private final StatementParser statements;

    NatStatementParser(
            Cursor in, ValueParser values, NftFamily family, ExpressionParser expressions, StatementParser statements) {
        this.in = in;
        this.values = values;
        this.family = family;
        this.expressions = expressions;
        this.statements = statements;
    }

    Statement nat(List<Statement> before) {
        Token kw = in.next();
        boolean source = kw.is("snat");
        DataType addressType = null;
        Token fam = in.peek();
        if (in.accept("ip")) {
            addressType = DataType.IPV4_ADDR;
        } else if (in.accept("ip6")) {
            addressType = DataType.IPV6_ADDR;
        }
        if (addressType == DataType.IPV6_ADDR && family == NftFamily.IP
                || addressType == DataType.IPV4_ADDR && family == NftFamily.IP6) {
            throw in.error(
                    fam,
                    "'" + kw.text() + " " + fam.text() + "' in a table of family " + family.keyword()
                            + " (conflicting protocols)");
        }
        in.expect("to");
        Token t = in.peek();
        Datum address = null;
        Expr mapKey = null;
        SetRef map = null;
        String portText = null;
        if (t.kind() == Token.Kind.WORD && looksLikeAddress(t.text())) {
            in.next();
            String text = t.text();
            if (addressType == null) {
                addressType = family == NftFamily.IP6 || text.startsWith("[") || text.indexOf('.') < 0
                        ? DataType.IPV6_ADDR
                        : DataType.IPV4_ADDR;
            }
            String addressText = text;
            if (text.startsWith("[")) {
                int close = text.indexOf(']');
                addressText = text.substring(1, close);
                if (close + 1 < text.length()) {
                    if (text.charAt(close + 1) != ':') {
                        throw in.error(t, "expected ':PORT' after ']' in " + t.describe());
                    }
                    portText = text.substring(close + 2);
                }
            } else if (addressType == DataType.IPV4_ADDR && text.indexOf(':') >= 0) {
                addressText = text.substring(0, text.indexOf(':'));
                portText = text.substring(text.indexOf(':') + 1);
            }
            if (addressType == DataType.IPV4_ADDR && addressText.indexOf('-') >= 0) {
                throw in.error(t, "address ranges in " + kw.text() + " are not supported: " + t.describe());
            }
            address = values.value(addressType, new Token(Token.Kind.WORD, addressText, t.line(), t.column()));
        } else {
            if (addressType == null) {
                addressType = family == NftFamily.IP6 ? DataType.IPV6_ADDR : DataType.IPV4_ADDR;
            }
            mapKey = expressions.expression();
            in.expect("map");
            map = statements.setRef(mapKey.type(), KeyType.of(addressType));
            if (in.at(Token.Kind.WORD) && in.peek().text().startsWith(":")) {
                Token p = in.next();
                portText = p.text().substring(1);
            }
        }
        int[] ports = ports(portText, t, before, kw);
        boolean[] flags = natFlags();
        return new NatStmt(source, addressType, address, mapKey, map, ports[0], ports[1], flags[0], flags[1], flags[2]);
    }

    private static boolean looksLikeAddress(String text) {
        if (text.startsWith("[")) {
            return true;
        }
        char c = text.charAt(0);
        if (!Character.isDigit(c) && !(c >= 'a' && c <= 'f') && !(c >= 'A' && c <= 'F') && c != ':') {
            return false;
        }
        String head = text.indexOf(':') >= 0 && text.indexOf('.') >= 0 ? text.substring(0, text.indexOf(':')) : text;
        return Ip4.isValid(head.indexOf('-') >= 0 ? head.substring(0, head.indexOf('-')) : head)
                || text.indexOf(':') >= 0;
    }

    /** {@code [port, port]} of {@code PORT} or {@code LOW-HIGH}; {@code [0, 0]} for none. */
    private int[] ports(String text, Token at, List<Statement> before, Token kw) {
        if (text == null) {
            return new int[] {0, 0};
        }
        if (!Dependencies.hasTransport(before)) {
            throw in.error(
                    at,
                    "transport protocol mapping is only valid after transport protocol match (" + kw.text()
                            + " to a port needs e.g. 'meta l4proto tcp' or 'tcp dport' first)");
        }
        int dash = text.indexOf('-');
        int lo = port(dash < 0 ? text : text.substring(0, dash), at);
        int hi = dash < 0 ? lo : port(text.substring(dash + 1), at);
        if (lo == 0 || hi < lo) {
            throw in.error(at, "bad port range '" + text + "'");
        }
        return new int[] {lo, hi};
    }

    private int port(String text, Token at) {
        try {
            int p = Integer.parseInt(text);
            if (p >= 0 && p <= 0xffff) {
                return p;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw in.error(at, "'" + text + "' is not a port number (0..65535)");
    }

    /** {@code random}, {@code fully-random}, {@code persistent}, comma-separated. */
    private boolean[] natFlags() {
        boolean[] f = new boolean[3];
        if (!in.at("random") && !in.at("fully-random") && !in.at("persistent")) {
            return f;
        }
        do {
            Token t = in.word("random, fully-random or persistent");
            switch (t.text()) {
                case "random" -> f[0] = true;
                case "fully-random" -> f[1] = true;
                case "persistent" -> f[2] = true;
                default ->
                    throw in.error(
                            t, "unknown NAT flag " + t.describe() + " (expected random, fully-random or persistent)");
            }
        } while (in.accept(Token.Kind.COMMA));
        return f;
    }

    Statement masquerade(List<Statement> before) {
        Token kw = in.next();
        int[] ports = {0, 0};
        if (in.accept("to")) {
            Token p = in.word("':PORT'");
            if (!p.text().startsWith(":")) {
                throw in.error(p, "expected ':PORT' or ':LOW-HIGH' after 'masquerade to', found " + p.describe());
            }
            ports = ports(p.text().substring(1), p, before, kw);
        }
        boolean[] flags = natFlags();
        return new MasqueradeStmt(ports[0], ports[1], flags[0], flags[1], flags[2]);
    }
}
