package io.kpsim.netfilter;

import io.kpsim.packet.Packet;

/**
 * What a reject sent back: the ICMP error or TCP reset as it left the node (after the node's
 * OUTPUT and POSTROUTING hooks, where the NAT core translates it like a reply of the rejected
 * connection, so it comes from the Service address the client used), or why none left.
 *
 * @param with what the rule asked to send
 * @param sent the packet as it left, or {@code null} when none did
 * @param outInterface the device it left by, or {@code null}
 * @param notSent why nothing was sent (e.g. "no ICMP error about an ICMP error", or the rule that
 *     dropped the reply in OUTPUT), or {@code null}
 */
public record RejectReply(RejectWith with, Packet sent, String outInterface, String notSent) {}
