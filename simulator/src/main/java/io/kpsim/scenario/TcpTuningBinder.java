package io.kpsim.scenario;

import java.util.List;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Binds {@code spec.pods[].tcp}. Buffers are bounded by what Linux accepts in practice
 * ({@code SOCK_MIN_RCVBUF} is about 2 KiB; the scaled window tops out at 1 GiB, RFC 7323 §2.3), the
 * MSS by IPv4's minimum (RFC 9293: 536) and maximum (65535 - 40). Each buffer must hold two
 * full segments (kpsim's TCP needs that much room). {@code timestamps: true} is refused: kpsim's
 * TCP sends no timestamp option, and accepting it would promise what the trace cannot show.
 */
final class TcpTuningBinder {

    static final List<String> KEYS =
            List.of("receiveBuffer", "sendBuffer", "mss", "readRate", "sack", "timestamps", "windowScaling");

    static final long MIN_BUFFER = 2048;
    static final long MAX_BUFFER = 1L << 30;

    private final Diagnostics diagnostics;
    private final Values values;

    TcpTuningBinder(Diagnostics diagnostics, Values values) {
        this.diagnostics = diagnostics;
        this.values = values;
    }

    /** The tuning, or {@code null} after reporting a problem. */
    TcpTuning bind(Node node, String path) {
        Mapping m = Mapping.read(diagnostics, node, path, KEYS);
        if (m == null) {
            return null;
        }
        TcpTuning d = TcpTuning.DEFAULT;
        Long receive = m.has("receiveBuffer")
                ? buffer(m.get("receiveBuffer"), path + ".receiveBuffer")
                : (Long) d.receiveBufferBytes();
        Long send =
                m.has("sendBuffer") ? buffer(m.get("sendBuffer"), path + ".sendBuffer") : (Long) d.sendBufferBytes();
        Long mss = m.has("mss") ? values.integer(m.get("mss"), path + ".mss", 536, 65495) : (Long) (long) d.mss();
        Long readRate = m.has("readRate")
                ? values.rate(m.get("readRate"), path + ".readRate", 1, Rates.ONE_TBIT)
                : (Long) d.readRateBitsPerSecond();
        Boolean sack = m.has("sack") ? values.bool(m.get("sack"), path + ".sack") : (Boolean) d.sack();
        Boolean timestamps =
                m.has("timestamps") ? values.bool(m.get("timestamps"), path + ".timestamps") : (Boolean) d.timestamps();
        Boolean scaling = m.has("windowScaling")
                ? values.bool(m.get("windowScaling"), path + ".windowScaling")
                : (Boolean) d.windowScaling();
        if (Boolean.TRUE.equals(timestamps)) {
            diagnostics.error(
                    m.get("timestamps"),
                    path + ".timestamps: TCP timestamps are not modelled (kpsim's TCP"
                            + " sends no timestamp option, RFC 7323 §3) (expected false, or leave it out)");
            return null;
        }
        if (receive != null && mss != null && receive != TcpTuning.KERNEL_DEFAULT && receive < 2 * mss) {
            diagnostics.error(
                    m.get("receiveBuffer"),
                    path + ".receiveBuffer: " + Sizes.format(receive) + " holds less" + " than two segments of MSS "
                            + mss + " (expected at least " + Sizes.format(2 * mss) + ")");
            return null;
        }
        if (send != null && mss != null && send != TcpTuning.KERNEL_DEFAULT && send < 2 * mss) {
            diagnostics.error(
                    m.get("sendBuffer"),
                    path + ".sendBuffer: " + Sizes.format(send) + " holds less" + " than two segments of MSS " + mss
                            + " (expected at least " + Sizes.format(2 * mss) + ")");
            return null;
        }
        if (receive == null
                || send == null
                || mss == null
                || readRate == null
                || sack == null
                || timestamps == null
                || scaling == null) {
            return null;
        }
        return new TcpTuning(receive, send, mss.intValue(), readRate, sack, timestamps, scaling);
    }

    private Long buffer(Node node, String path) {
        Long bytes = values.size(node, path, 0, MAX_BUFFER);
        if (bytes != null && bytes < MIN_BUFFER) {
            diagnostics.error(
                    node,
                    path + ": " + Sizes.format(bytes) + " is too small (expected at least 2KiB, or leave"
                            + " it out for the kernel's default)");
            return null;
        }
        return bytes;
    }
}
