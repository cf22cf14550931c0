package io.kpsim.report.html;

/**
 * What became of one TCP connection of the run.
 *
 * @param client the client's address and ephemeral port
 * @param clientPod the client pod
 * @param service the address the client connected to (a ClusterIP and port, or a pod)
 * @param endpoint the pod address the SYN reached after DNAT, or {@code null} when it reached none
 * @param endpointPod the pod that served it, or {@code null}
 * @param openedNanos when the client sent its SYN
 * @param endedNanos when it ended (the accepted RST, or the last FIN), or -1 when still open
 * @param outcome how it ended
 * @param resetBy for a reset: which pod's socket accepted the first RST, else {@code null}
 */
public record ConnectionOutcome(
        Address client,
        String clientPod,
        Address service,
        Address endpoint,
        String endpointPod,
        long openedNanos,
        long endedNanos,
        Outcome outcome,
        String resetBy) {}
