/**
 * The kernel oracle: replays captures through a real Linux node namespace (iptables DNAT rules,
 * conntrack, the drop-INVALID rule) and reads back what the kernel did to every packet, in the
 * same {@link io.kpsim.replay.ReplayRecord} form the model produces, then compares the two.
 *
 * <p>Owns the namespace topology ({@link io.kpsim.oracle.OracleTopology}), the per-packet verdict
 * probe (DSCP marks per {@code --ctstate}/{@code --ctdir} in mangle FORWARD, NFLOG for the
 * conntrack log, a ctnetlink lookup of the entry, and the {@link io.kpsim.oracle.Sentinel} behind
 * each packet that says when the kernel is done with it), the machine check, the comparison and
 * the seeded conversation generator that feeds the differential test. The only package besides
 * {@code pcap} that calls native code (JNA: {@code setns}, netlink sockets, CPU affinity). Live frames go through
 * {@link io.kpsim.pcap.LiveInterface}; this package never imports pcap4j.
 *
 * <p>Failures are told apart honestly: a machine that cannot run the oracle (not root, a tool or
 * module missing, another kernel than {@code --kernel}, a command that failed or hung, no verdict
 * in time) is an {@link io.kpsim.oracle.OracleException}, a {@link io.kpsim.fault.UserFault}
 * (exit 2); an unreadable capture is the reader's {@code CaptureException}; a ctnetlink answer
 * this package cannot parse is an {@code IllegalStateException}, a kpsim bug (exit 3).
 */
package io.kpsim.oracle;
