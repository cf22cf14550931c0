package io.kpsim.report.html;

/**
 * Packets of the connection the ladder leaves out between two shown packets (a download sends
 * hundreds while the story's segment is on its way); drawn as one row saying how many.
 *
 * @param afterPacket the ladder packet the gap follows
 * @param packets how many packets were left out
 * @param fromNanos when the first of them was sent
 * @param toNanos when the last of them was sent
 */
public record Gap(int afterPacket, long packets, long fromNanos, long toNanos) {}
