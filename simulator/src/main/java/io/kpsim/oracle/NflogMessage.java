package io.kpsim.oracle;

import java.nio.charset.StandardCharsets;

/**
 * One netfilter log message as libpcap delivers it on {@code nflog:GROUP} ({@code DLT_NFLOG}):
 * a 4-byte {@code nfgenmsg} header then TLVs ({@code nfnetlink_log.h}): {@code NFULA_PACKET_HDR}
 * (hardware protocol and hook), {@code NFULA_PREFIX} (the log prefix) and {@code NFULA_PAYLOAD}
 * (the packet from its IPv4 header).
 *
 * <p>Why: conntrack's {@code nf_ct_l4proto_log_invalid()} calls {@code nf_log_packet()} with the
 * namespace's logger; with {@code net.netfilter.nf_log.2=nfnetlink_log} the reason text
 * ({@code "nf_ct_proto_6: SEQ is over upper bound ..."}) arrives here as the prefix, per
 * namespace and without {@code nf_log_all_netns}, which the syslog logger would need.
 *
 * @param hook the netfilter hook ({@code NF_INET_PRE_ROUTING} = 0, {@code NF_INET_FORWARD} = 2)
 * @param prefix the log prefix without its terminating NUL, empty when absent
 * @param packet the logged packet's headers, or {@code null} when no payload was copied
 */
record NflogMessage(int hook, String prefix, WireIpv4 packet) {

    /** {@code NF_INET_PRE_ROUTING}. */
    static final int HOOK_PRE_ROUTING = 0;
    /** {@code NF_INET_FORWARD}. */
    static final int HOOK_FORWARD = 2;

    private static final int NFULA_PACKET_HDR = 1;
    private static final int NFULA_PAYLOAD = 9;
    private static final int NFULA_PREFIX = 10;

    /** Parses one {@code DLT_NFLOG} record; TLV lengths are host order (little-endian here). */
    static NflogMessage parse(byte[] b) {
        int hook = -1;
        String prefix = "";
        WireIpv4 packet = null;
        int i = 4;
        while (i + 4 <= b.length) {
            int length = (b[i] & 0xff) | (b[i + 1] & 0xff) << 8;
            int type = ((b[i + 2] & 0xff) | (b[i + 3] & 0xff) << 8) & 0x7fff;
            if (length < 4 || i + length > b.length) {
                break;
            }
            int value = i + 4;
            int valueLength = length - 4;
            if (type == NFULA_PACKET_HDR && valueLength >= 3) {
                hook = b[value + 2] & 0xff;
            } else if (type == NFULA_PREFIX) {
                int end = value;
                while (end < value + valueLength && b[end] != 0) {
                    end++;
                }
                prefix = new String(b, value, end - value, StandardCharsets.UTF_8);
            } else if (type == NFULA_PAYLOAD) {
                packet = WireIpv4.parse(java.util.Arrays.copyOfRange(b, value, value + valueLength), 0);
            }
            i += (length + 3) & ~3;
        }
        return new NflogMessage(hook, prefix, packet);
    }

    /** The state mark of a mangle FORWARD NFLOG rule, or {@code null} for another message. */
    StateMark mark() {
        return hook == HOOK_FORWARD ? StateMark.ofPrefix(prefix) : null;
    }

    /**
     * The conntrack reason in the model's words: the prefix without the
     * {@code "nf_ct_proto_6: "} (or any {@code nf_ct_*:}) tag and trailing blanks; {@code null}
     * when this message is not a conntrack log line.
     */
    String conntrackReason() {
        if (!prefix.startsWith("nf_ct_")) {
            return null;
        }
        int colon = prefix.indexOf(": ");
        String reason = colon < 0 ? prefix : prefix.substring(colon + 2);
        return reason.strip();
    }
}
