package io.kpsim.report.html;

/**
 * The conntrack entry a packet's tuple found at a node, before and after {@code nf_conntrack_in()}
 * handled the packet.
 *
 * @param before the entry before the packet, or {@code null} when there was none (a NEW packet,
 *               or a tuple no entry has, like the blog's RST to the pod IP)
 * @param after the entry after the packet, or {@code null} when none exists (not confirmed, or
 *              killed by the packet); an INVALID packet leaves the entry as it was
 */
public record CtChange(CtEntry before, CtEntry after) {}
