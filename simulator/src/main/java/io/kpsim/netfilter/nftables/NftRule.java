package io.kpsim.netfilter.nftables;

import java.util.List;

/**
 * One rule of a chain: its statements in order and its comment.
 *
 * @param statements the statements
 * @param comment the rule comment, or {@code null}
 */
public record NftRule(List<Statement> statements, String comment) {

    /** Copies the statements. */
    public NftRule {
        statements = List.copyOf(statements);
    }

    /** The rule as {@code nft list} prints it in a table of {@code family}, without indentation. */
    public String text(NftFamily family) {
        StringBuilder s = new StringBuilder();
        for (Statement st : statements) {
            if (s.length() > 0) {
                s.append(' ');
            }
            st.print(s, family);
        }
        if (comment != null) {
            s.append(s.length() > 0 ? " " : "")
                    .append("comment \"")
                    .append(comment)
                    .append('"');
        }
        return s.toString();
    }
}
