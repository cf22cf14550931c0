package io.kpsim.report.html;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * The outcomes as members of {@code kpsim run --format json}'s object: {@code endpoints} (per
 * endpoint pod: {@code pod}, {@code address}, {@code connections}, {@code closed}, {@code reset},
 * {@code open}), {@code reset_connections} (one object per reset connection: {@code at_seconds},
 * {@code client_pod}, {@code client}, {@code service}, {@code endpoint_pod}, {@code endpoint},
 * {@code reset_by}) and {@code forged_packets} (one per followed forged packet: {@code at_seconds},
 * {@code pod}, {@code what}, {@code node}, {@code ctstate}, {@code ignored}, {@code reason},
 * {@code nat}, {@code end}, {@code detail}). The text report's lines, as data.
 */
public final class OutcomeJson {

    private OutcomeJson() {}

    /** The members, comma-separated, without the enclosing braces. */
    public static String members(Outcomes o) {
        StringBuilder s = new StringBuilder(256);
        Json j = new Json(s, false);
        j.openArray("endpoints");
        for (EndpointTally e : o.endpoints()) {
            j.element()
                    .put("pod", e.pod())
                    .put("address", e.address().toString())
                    .put("connections", e.connections())
                    .put("closed", e.closed())
                    .put("reset", e.reset())
                    .put("open", e.open())
                    .close();
        }
        j.closeArray();
        j.openArray("reset_connections");
        for (ConnectionOutcome c : o.resets()) {
            j.element()
                    .putNumber("at_seconds", seconds(c.endedNanos()))
                    .put("client_pod", c.clientPod())
                    .put("client", c.client().toString())
                    .put("service", c.service().toString())
                    .put("endpoint_pod", c.endpointPod())
                    .put("endpoint", c.endpoint() == null ? null : c.endpoint().toString())
                    .put("reset_by", c.resetBy())
                    .close();
        }
        j.closeArray();
        j.openArray("forged_packets");
        for (InjectionOutcome i : o.injections()) {
            j.element()
                    .putNumber("at_seconds", seconds(i.timeNanos()))
                    .put("pod", i.pod())
                    .put("what", i.what())
                    .put("node", i.node());
            if (i.verdict() == null || i.verdict().state() == null) {
                j.putNull("ctstate").put("ignored", false).putNull("reason");
            } else {
                j.put("ctstate", i.verdict().state().name())
                        .put("ignored", i.verdict().ignored())
                        .put("reason", i.verdict().reason());
            }
            j.put("nat", i.nat() == null ? null : i.nat().label())
                    .put("end", i.end() == null ? null : i.end().name().toLowerCase(Locale.ROOT))
                    .put("detail", i.detail())
                    .close();
        }
        j.closeArray();
        return s.toString();
    }

    private static String seconds(long nanos) {
        return BigDecimal.valueOf(nanos, 9).stripTrailingZeros().toPlainString();
    }
}
