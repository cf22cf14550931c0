package io.kpsim.netfilter.nftables;

/**
 * A set a rule looks up: a named set of the table ({@code @service-ips}) or an anonymous one
 * written inline ({@code { 80, 443 }}).
 *
 * @param name the named set, or {@code null}
 * @param anonymous the inline set, or {@code null}
 */
public record SetRef(String name, NftSet anonymous) {

    /** Validates that exactly one is given. */
    public SetRef {
        if ((name == null) == (anonymous == null)) {
            throw new IllegalArgumentException("a set reference is a name or an inline set");
        }
    }

    /** {@code @name}. */
    public static SetRef named(String name) {
        return new SetRef(name, null);
    }

    /** An inline set. */
    public static SetRef inline(NftSet set) {
        return new SetRef(null, set);
    }

    /** Appends {@code @name} or the inline set, {@code { a, b }}. */
    void print(StringBuilder out) {
        if (name != null) {
            out.append('@').append(name);
        } else {
            ElementPrinter.printInline(anonymous, out);
        }
    }
}
