/**
 * What {@code kpsim run} tells: the trace of a cluster run turned into the story of the first
 * reset as the 2019 blog post numbers its five packets (kubernetes issue 74839), the fates of the
 * packets conntrack did not simply accept (INVALID, ignored by 6.1+, dropped by KUBE-FORWARD), a
 * verdict with the fixes that would have helped, and the scenario's expectations; as text, as one
 * JSON object, and as pcap files per observation point.
 *
 * <p>Entry points: {@link io.kpsim.report.RunObserver} (a trace listener whose memory stays
 * bounded by the packets in flight), {@link io.kpsim.report.TextReport},
 * {@link io.kpsim.report.JsonReport}, {@link io.kpsim.report.PcapRecorder} and
 * {@link io.kpsim.report.ProgressMeter}. The package reads the model ({@code cluster}) and knows
 * nothing of YAML: the scenario package evaluates expectations and hands them in as
 * {@link io.kpsim.report.ExpectationResult}s.
 */
package io.kpsim.report;
