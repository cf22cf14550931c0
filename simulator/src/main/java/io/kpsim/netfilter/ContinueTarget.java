package io.kpsim.netfilter;

/**
 * A rule without {@code -j}/{@code -g}: {@code iptables} gives it the standard target with verdict
 * {@code XT_CONTINUE} ({@code do_command4()} in iptables' {@code iptables.c} leaves the target name empty, and
 * {@code ipt_do_table()} in {@code net/ipv4/netfilter/ip_tables.c} goes on with the next rule after a standard
 * target whose verdict is {@code XT_CONTINUE}). Such a rule only counts packets; kube-proxy writes them as bare
 * {@code -m comment} markers. {@code iptables-save} prints no {@code -j} for it ({@code print_firewall()} skips an
 * empty target name).
 */
public record ContinueTarget() implements Target {

    /** The one instance. */
    public static final ContinueTarget INSTANCE = new ContinueTarget();

    @Override
    public TargetKind kind() {
        return TargetKind.CONTINUE;
    }

    @Override
    public void save(StringBuilder out) {
        // iptables-save prints nothing after the matches of a rule without a target
    }
}
