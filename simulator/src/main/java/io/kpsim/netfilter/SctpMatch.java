package io.kpsim.netfilter;

/**
 * {@code -p sctp -m sctp [[!] --sport P[:P]] [[!] --dport P[:P]]}: SCTP ports ({@code sctp_mt()} in
 * {@code net/netfilter/xt_sctp.c}). kube-proxy writes it for Services with {@code protocol: SCTP}.
 *
 * <p>kpsim's packets are TCP, UDP or ICMP and carry no SCTP common header, so this condition never holds: it is
 * here so that such rulesets load, count and save back exactly. The ports are kept as {@code struct
 * xt_sctp_info} holds them (a port given as {@code 0:65535} is still printed, as {@code sctp_save()} prints
 * whatever flag is set). {@code --chunk-types} is not modelled and is refused at load.
 *
 * @param sport {@code {min, max}} or {@code null} when not given
 * @param sportNegated {@code ! --sport}
 * @param dport {@code {min, max}} or {@code null} when not given
 * @param dportNegated {@code ! --dport}
 */
public record SctpMatch(int[] sport, boolean sportNegated, int[] dport, boolean dportNegated) implements Match {

    /** IANA protocol number of SCTP ({@code IPPROTO_SCTP}). */
    public static final int IPPROTO_SCTP = 132;

    /** Copies the ranges. */
    public SctpMatch {
        sport = sport == null ? null : sport.clone();
        dport = dport == null ? null : dport.clone();
    }

    @Override
    public boolean matches(Skb skb) {
        // sctp_mt() reads the SCTP header; no packet kpsim models has one (Packet.protocol() is never 132)
        return false;
    }

    @Override
    public void save(StringBuilder out) {
        out.append(" -m sctp");
        ports(out, "--sport", sport, sportNegated);
        ports(out, "--dport", dport, dportNegated);
    }

    private static void ports(StringBuilder out, String option, int[] range, boolean negated) {
        if (range == null) {
            return;
        }
        out.append(negated ? " ! " : " ").append(option).append(' ').append(range[0]);
        if (range[1] != range[0]) {
            out.append(':').append(range[1]);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SctpMatch m
                && java.util.Arrays.equals(sport, m.sport)
                && sportNegated == m.sportNegated
                && java.util.Arrays.equals(dport, m.dport)
                && dportNegated == m.dportNegated;
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(sport) * 31 + java.util.Arrays.hashCode(dport);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        save(s);
        return s.substring(1);
    }

    /** Reads the options as {@code sctp_parse()} of {@code libxt_sctp.c}. */
    static final class Options extends ModuleBuilder {
        private int[] sport;
        private boolean sportNegated;
        private int[] dport;
        private boolean dportNegated;

        @Override
        String name() {
            return "sctp";
        }

        @Override
        boolean accepts(String option) {
            return switch (option) {
                case "--sport", "--source-port", "--dport", "--destination-port", "--chunk-types" -> true;
                default -> false;
            };
        }

        @Override
        void option(String option, boolean negated, RuleWords words, RuleSoFar rule) {
            switch (option) {
                case "--sport", "--source-port" -> {
                    sport = RuleWords.portRange(words.value(option), option);
                    sportNegated = negated;
                }
                case "--dport", "--destination-port" -> {
                    dport = RuleWords.portRange(words.value(option), option);
                    dportNegated = negated;
                }
                default ->
                    throw new IllegalArgumentException(
                            "-m sctp --chunk-types is not modelled (kpsim's packets carry no SCTP chunks)");
            }
        }

        @Override
        Match build(RuleSoFar rule) {
            if (!rule.sctp()) {
                throw new IllegalArgumentException("sctp match: only valid for protocol " + IPPROTO_SCTP
                        + " (add -p sctp; the kernel's xt_check_match refuses it)");
            }
            return new SctpMatch(sport, sportNegated, dport, dportNegated);
        }
    }
}
