package io.kpsim.diagnose;

import java.util.List;

/**
 * What {@code kpsim diagnose} found in a set of captures: plain data that the text, JSON and HTML
 * views print.
 *
 * @param files the capture files, as given
 * @param packets packets replayed (the node's received packets; its sent copies are evidence, not packets)
 * @param invalid packets conntrack marked INVALID
 * @param connections connections the capture shows starting or continuing (distinct conntrack entries)
 * @param disagreements packets where the node's own copy shows it did something other than the model
 * @param findings every reset and prevented reset, in capture order
 */
public record CaptureDiagnosis(
        List<String> files, long packets, long invalid, long connections, long disagreements, List<Finding> findings) {

    /** Copies the lists. */
    public CaptureDiagnosis {
        files = List.copyOf(files);
        findings = List.copyOf(findings);
    }

    /** How many findings are of {@code kind}. */
    public long count(FindingKind kind) {
        return findings.stream().filter(f -> f.kind() == kind).count();
    }

    /** The one-line answer: was a reset this bug? */
    public String verdict() {
        long bug = count(FindingKind.INVALID_REPLY_RESET);
        long prevented = count(FindingKind.PREVENTED_RESET);
        long others = findings.size() - bug - prevented;
        StringBuilder b = new StringBuilder();
        if (bug > 0) {
            b.append("yes: ")
                    .append(plural(bug, "reset"))
                    .append(bug == 1 ? " is" : " are")
                    .append(" the conntrack INVALID-reply bug (invalid-reply-reset)");
        } else {
            b.append("no: no reset here is the conntrack INVALID-reply bug");
        }
        if (prevented > 0) {
            b.append("; ")
                    .append(plural(prevented, "INVALID reply"))
                    .append(" dropped by the node before it could" + " cause one");
        }
        if (others > 0) {
            b.append("; ").append(plural(others, "other reset"));
        }
        b.append(" (")
                .append(plural(packets, "packet"))
                .append(", ")
                .append(invalid)
                .append(" INVALID, ")
                .append(plural(connections, "connection"));
        if (disagreements > 0) {
            b.append(", ").append(plural(disagreements, "disagreement")).append(" with the node's own copies");
        }
        return b.append(')').toString();
    }

    static String plural(long n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }
}
