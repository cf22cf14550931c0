/**
 * The cluster model: nodes, pods, services, links and workloads on one discrete-event
 * {@link io.kpsim.engine.Simulation}, wiring the endpoint TCP stacks ({@code io.kpsim.tcp}) to the
 * nodes' netfilter datapaths ({@code io.kpsim.netfilter}, each with its own
 * {@code io.kpsim.conntrack} table and kube-proxy's rules).
 *
 * <p>A packet's path: a pod's TCP stack transmits onto its veth ({@link io.kpsim.cluster.Link}),
 * the node runs PREROUTING (conntrack, kube-proxy's DNAT), routes on the possibly rewritten
 * destination (its own pod CIDR over the bridge to a pod's veth, another node's pod CIDR over the
 * link to that node), runs FORWARD and POSTROUTING, and hands the packet on; the far node does the
 * same and delivers it to the pod's stack. Every hop can be observed as a
 * {@link io.kpsim.cluster.TraceEvent}; with no {@link io.kpsim.cluster.TraceListener} nothing is
 * built. {@link io.kpsim.cluster.ClusterBuilder} assembles a cluster from spec records and
 * {@link io.kpsim.cluster.Cluster#run(long)} returns {@link io.kpsim.cluster.ClusterResults}.
 *
 * <p>The spec records ({@code NodeSpec}, {@code PodSpec}, {@code ServiceSpec}, the
 * {@link io.kpsim.cluster.WorkloadSpec} kinds, {@code InjectionSpec}) are the one description of a
 * cluster: the scenario loader binds YAML to them, tests and benchmarks write them in Java. A new
 * workload kind is a {@link io.kpsim.cluster.WorkloadKind} constant, its record, and the program that
 * runs it; every {@code switch} on the kind then fails to compile until it handles the new one.
 *
 * <p>Everything random (links, ISNs, ports, {@code -m statistic}, NAT port choice) comes from one
 * seed through {@link io.kpsim.engine.RandomStreams} named per component, so a seed fixes the run.
 */
package io.kpsim.cluster;
