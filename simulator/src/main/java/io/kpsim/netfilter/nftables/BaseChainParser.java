package io.kpsim.netfilter.nftables;

import io.kpsim.netfilter.Hook;
import io.kpsim.netfilter.Policy;

/**
 * Reads a base chain's header for {@link NftParser}: {@code type filter|nat hook H priority P;
 * [policy accept|drop;]}, with the named priorities ({@code raw}, {@code mangle}, {@code dstnat},
 * {@code filter}, {@code security}, {@code srcnat}) and their offsets ({@code dstnat - 5}), each
 * allowed where {@code nft} allows it, and the hooks each chain type may use.
 */
final class BaseChainParser {

    private final Cursor in;

    BaseChainParser(Cursor in) {
        this.in = in;
    }

    Policy policy(Token p) {
        if (p.is("accept")) {
            return Policy.ACCEPT;
        }
        if (p.is("drop")) {
            return Policy.DROP;
        }
        throw in.error(p, "expected policy accept or drop, found " + p.describe());
    }

    /** {@code type T hook H priority P [; policy X]} after {@code type}. */
    BaseChain baseChain(BaseChain previous) {
        Token typeToken = in.word("a chain type");
        ChainType type = ChainType.byKeyword(typeToken.text());
        if (type == null) {
            throw in.error(typeToken, "unknown chain type " + typeToken.describe() + " (expected filter, nat, route)");
        }
        in.expect("hook");
        Token hookToken = in.word("a hook");
        Hook hook = BaseChain.hookByName(hookToken.text());
        if (hook == null) {
            throw in.error(
                    hookToken,
                    "unsupported hook " + hookToken.describe()
                            + " (kpsim reads prerouting, input, forward, output, postrouting)");
        }
        if (!type.allows(hook)) {
            throw in.error(
                    typeToken,
                    "a " + type.keyword() + " chain cannot hook " + hookToken.text()
                            + " (the kernel refuses it: Operation not supported)");
        }
        in.expect("priority");
        Token p = in.peek();
        int priority = priority(hook);
        if (type == ChainType.NAT && priority <= -200) {
            throw in.error(
                    p,
                    "a nat chain's priority must be above -200, the conntrack hook's"
                            + " (the kernel refuses it: Operation not supported)");
        }
        Policy policy = previous == null ? Policy.ACCEPT : previous.policy();
        in.accept(Token.Kind.SEMICOLON);
        if (in.accept("policy")) {
            policy = policy(in.word("accept or drop"));
        }
        return new BaseChain(type, hook, priority, policy);
    }

    private int priority(Hook hook) {
        Token t = in.word("a priority");
        int value;
        if (ValueParser.isInteger(t.text())) {
            value = Integer.parseInt(t.text());
        } else {
            Integer named = Priority.named(t.text(), hook);
            if (named == null) {
                throw in.error(
                        t,
                        (Priority.isName(t.text())
                                        ? "priority '" + t.text() + "' is not valid at hook " + BaseChain.hookName(hook)
                                        : "invalid priority " + t.describe())
                                + " (expected a number, raw, mangle, dstnat, filter, security or srcnat, optionally"
                                + " '+ N' or '- N')");
            }
            value = named;
            if (in.at(Token.Kind.PLUS) || in.at(Token.Kind.MINUS)) {
                boolean minus = in.next().kind() == Token.Kind.MINUS;
                Token n = in.word("an offset");
                if (!ValueParser.isInteger(n.text()) || n.text().startsWith("-")) {
                    throw in.error(n, "expected a number after '" + (minus ? "-" : "+") + "', found " + n.describe());
                }
                value += minus ? -Integer.parseInt(n.text()) : Integer.parseInt(n.text());
            }
        }
        return value;
    }
}
