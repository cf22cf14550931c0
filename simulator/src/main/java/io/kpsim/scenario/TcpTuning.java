package io.kpsim.scenario;

import io.kpsim.tcp.TcpConfig;

/**
 * {@code spec.pods[].tcp}: the per-pod socket knobs that shape windows and therefore which segments
 * conntrack finds out of window (a slow reader with a small buffer is the "slow client" of
 * docker/libnetwork#1090). Names follow the Linux sysctls they stand for.
 *
 * @param receiveBufferBytes {@code SO_RCVBUF} / {@code tcp_rmem[1]}; {@link #KERNEL_DEFAULT} for the
 *     kernel's default
 * @param sendBufferBytes {@code SO_SNDBUF} / {@code tcp_wmem[1]}; {@link #KERNEL_DEFAULT} for the
 *     kernel's default
 * @param mss the MSS the pod announces in its SYN (RFC 9293 §3.7.1), 536..65495
 * @param readRateBitsPerSecond how fast the application drains the receive buffer, in bits per
 *     second; {@link #UNLIMITED} when it reads as fast as data arrives
 * @param sack whether the SYN offers SACK-permitted (RFC 2018, {@code tcp_sack})
 * @param timestamps whether the SYN offers timestamps (RFC 7323, {@code tcp_timestamps}); always
 *     {@code false} from a scenario: kpsim's TCP does not send them, and the binder refuses {@code true}
 * @param windowScaling whether the SYN offers window scaling (RFC 7323, {@code tcp_window_scaling})
 */
public record TcpTuning(
        long receiveBufferBytes,
        long sendBufferBytes,
        int mss,
        long readRateBitsPerSecond,
        boolean sack,
        boolean timestamps,
        boolean windowScaling) {

    /** Marks a buffer size left to the kernel's default. */
    public static final long KERNEL_DEFAULT = 0;

    /** Marks a rate without a limit. */
    public static final long UNLIMITED = 0;

    /** Ethernet's MSS (1500 MTU - 40 bytes of IPv4 and TCP headers). */
    public static final int DEFAULT_MSS = 1460;

    /**
     * Linux defaults as far as kpsim models them: kernel buffers, MSS 1460, unlimited reader, SACK,
     * window scaling; no timestamps (Linux would offer them; kpsim's TCP does not send them).
     */
    public static final TcpTuning DEFAULT =
            new TcpTuning(KERNEL_DEFAULT, KERNEL_DEFAULT, DEFAULT_MSS, UNLIMITED, true, false, true);

    /**
     * The pod's TCP configuration: Linux's defaults ({@link TcpConfig#linux()}) with these
     * settings. A fixed {@code receiveBuffer} is {@code SO_RCVBUF} (no autotuning; the advertised
     * window is half of it, Linux's overhead share) and {@code windowScaling: false} sends no
     * window-scale option, so the window stays below 64 KiB. The read rate is not part of it: it
     * belongs to the application ({@code DownloadClientSpec#readBytesPerSecond}).
     *
     * @throws IllegalArgumentException when the TCP model refuses the combination
     */
    public TcpConfig config() {
        TcpConfig c = TcpConfig.linux().withMss(mss).withSack(sack);
        if (!windowScaling) {
            c = c.withWindowScale(-1);
        }
        if (receiveBufferBytes != KERNEL_DEFAULT) {
            c = c.withFixedReceiveBuffer((int) Math.min(Integer.MAX_VALUE, receiveBufferBytes));
        }
        if (sendBufferBytes != KERNEL_DEFAULT) {
            c = c.withSendBuffer((int) Math.min(Integer.MAX_VALUE, sendBufferBytes));
        }
        return c;
    }
}
