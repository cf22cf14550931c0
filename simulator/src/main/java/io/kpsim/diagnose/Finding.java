package io.kpsim.diagnose;

import java.util.List;

/**
 * One reset (or prevented reset) and its cause.
 *
 * @param kind what caused it
 * @param connection the connection's four-tuple as the client saw it ({@code client:port > service:port})
 * @param endpoint the endpoint the node chose ({@code pod:port}), or {@code null} when the capture does not say
 * @param packets the packets of the story, in capture order
 * @param reason the kernel's reason for the INVALID packet (its log words), or {@code null}
 * @param explanation what happened, in a few sentences
 * @param fixes what would have prevented the reset, each checked where kpsim can check it; empty when
 *     none applies (an application's own reset is not a bug)
 */
public record Finding(
        FindingKind kind,
        String connection,
        String endpoint,
        List<PacketRef> packets,
        String reason,
        String explanation,
        List<String> fixes) {

    /** Copies the lists. */
    public Finding {
        packets = List.copyOf(packets);
        fixes = List.copyOf(fixes);
    }
}
