package io.kpsim.tcp;

import io.kpsim.engine.Durations;

/**
 * Tunables of a {@link TcpStack}, with Linux's defaults ({@link #linux()}) and the sysctl or
 * constant each one mirrors.
 *
 * <p>Receive-buffer accounting follows Linux: {@code rcvBufBytes} is {@code sk_rcvbuf}, which
 * counts kernel overhead as well as payload, and (with the default {@code tcp_adv_win_scale}
 * / 50% scaling ratio) half of it holds payload. So the default 131072-byte buffer
 * ({@code tcp_rmem[1]}) gives a 64 KiB receive window, which the SYN advertises rounded down to
 * whole MSS (64240, as a real Linux SYN shows), and autotuning ({@code tcp_rcv_space_adjust}) may
 * grow the buffer up to {@code tcp_rmem[2]} = 6 MiB.
 *
 * @param mss the MSS we advertise and send with (1460 = 1500-byte MTU minus 40)
 * @param windowScale our window-scale shift (RFC 7323 §2), 0..14; Linux picks 7 for a 6 MiB
 *        {@code tcp_rmem[2]}; {@code -1} sends no window-scale option
 * @param sack whether we send SACK-permitted and use SACK (RFC 2018; {@code net.ipv4.tcp_sack=1})
 * @param initialCwndSegments the initial congestion window in segments (RFC 6928; Linux
 *        {@code TCP_INIT_CWND} = 10)
 * @param rcvBufBytes the initial receive buffer ({@code tcp_rmem[1]}, 131072)
 * @param rcvBufMaxBytes the autotuning limit ({@code tcp_rmem[2]}, 6291456); equal to
 *        {@code rcvBufBytes} disables autotuning (as setting SO_RCVBUF does)
 * @param minRtoNanos the RTO floor (Linux {@code TCP_RTO_MIN} 200 ms; RFC 6298 suggests 1 s)
 * @param initialRtoNanos the RTO before any RTT sample (RFC 6298 §2.1, Linux {@code TCP_TIMEOUT_INIT} 1 s)
 * @param maxRtoNanos the RTO ceiling (Linux {@code TCP_RTO_MAX} 120 s)
 * @param synRetries SYN retransmissions before giving up ({@code net.ipv4.tcp_syn_retries} 6)
 * @param maxRetries consecutive RTO expirations before an established connection gives up
 *        ({@code net.ipv4.tcp_retries2} 15; Linux turns it into a time bound, kpsim counts them)
 * @param timeWaitNanos how long TIME_WAIT lasts (Linux {@code TCP_TIMEWAIT_LEN} 60 s = 2*MSL)
 * @param delayedAckNanos 0 acknowledges every segment at once (Linux's quick-ACK mode, the default
 *        here so traces are easy to follow); otherwise every second segment is acknowledged at
 *        once and a lone one after this delay (Linux {@code TCP_DELACK_MIN} 40 ms; RFC 9293 §3.8.6.3)
 * @param sndBufBytes a fixed send buffer ({@code SO_SNDBUF}, counted like {@code sk_sndbuf}: half of
 *        it holds payload, as for the receive buffer), which bounds the data in flight, since sent
 *        data stays queued until it is acknowledged ({@code sk_wmem_queued <= sk_sndbuf} in
 *        {@code tcp_sendmsg}); 0 for the kernel's autotuned buffer, modelled as never limiting
 */
public record TcpConfig(
        int mss,
        int windowScale,
        boolean sack,
        int initialCwndSegments,
        int rcvBufBytes,
        int rcvBufMaxBytes,
        long minRtoNanos,
        long initialRtoNanos,
        long maxRtoNanos,
        int synRetries,
        int maxRetries,
        long timeWaitNanos,
        long delayedAckNanos,
        int sndBufBytes) {

    /** The largest window-scale shift (RFC 7323 §2.3). */
    public static final int MAX_WINDOW_SCALE = 14;
    /** The MSS assumed when the peer sends no MSS option (RFC 9293 §3.7.1). */
    public static final int DEFAULT_PEER_MSS = 536;

    /** Validates every field, naming the first bad one. */
    public TcpConfig {
        check(mss >= 88 && mss <= 65495, "mss " + mss + " is not in 88..65495");
        check(
                windowScale >= -1 && windowScale <= MAX_WINDOW_SCALE,
                "window scale " + windowScale + " is not in -1..14");
        check(
                initialCwndSegments >= 1 && initialCwndSegments <= 1000,
                "initial congestion window " + initialCwndSegments + " segments is not in 1..1000");
        check(rcvBufBytes >= 2 * mss, "receive buffer " + rcvBufBytes + " B is below two MSS");
        check(
                rcvBufMaxBytes >= rcvBufBytes,
                "receive buffer limit " + rcvBufMaxBytes + " B is below the initial buffer " + rcvBufBytes + " B");
        check(rcvBufMaxBytes <= (1 << 30), "receive buffer limit " + rcvBufMaxBytes + " B exceeds 1 GiB");
        check(
                minRtoNanos > 0 && minRtoNanos <= initialRtoNanos && initialRtoNanos <= maxRtoNanos,
                "RTO bounds must satisfy 0 < min <= initial <= max, got min "
                        + Durations.format(minRtoNanos) + ", initial " + Durations.format(initialRtoNanos)
                        + ", max " + Durations.format(maxRtoNanos));
        check(synRetries >= 0 && synRetries <= 127, "SYN retries " + synRetries + " is not in 0..127");
        check(maxRetries >= 1 && maxRetries <= 255, "retries " + maxRetries + " is not in 1..255");
        check(timeWaitNanos >= 0, "TIME_WAIT duration is negative");
        check(delayedAckNanos >= 0, "delayed-ACK timeout is negative");
        check(
                sndBufBytes == 0 || (sndBufBytes >= 2 * mss && sndBufBytes <= (1 << 30)),
                "send buffer " + sndBufBytes + " B is not 0 (autotuned) or in two MSS..1 GiB");
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("TCP config: " + message);
        }
    }

    /** Linux 6.x defaults, except ACKs are sent at once (see {@code delayedAckNanos}). */
    public static TcpConfig linux() {
        return new TcpConfig(
                1460,
                7,
                true,
                10,
                131072,
                6291456,
                Durations.millis(200),
                Durations.seconds(1),
                Durations.seconds(120),
                6,
                15,
                Durations.seconds(60),
                0,
                0);
    }

    /** This config with another receive buffer, fixed at that size (no autotuning; SO_RCVBUF). */
    public TcpConfig withFixedReceiveBuffer(int bytes) {
        return new TcpConfig(
                mss,
                windowScale,
                sack,
                initialCwndSegments,
                bytes,
                bytes,
                minRtoNanos,
                initialRtoNanos,
                maxRtoNanos,
                synRetries,
                maxRetries,
                timeWaitNanos,
                delayedAckNanos,
                sndBufBytes);
    }

    /** This config with another window-scale shift ({@code -1}: no option). */
    public TcpConfig withWindowScale(int shift) {
        return new TcpConfig(
                mss,
                shift,
                sack,
                initialCwndSegments,
                rcvBufBytes,
                rcvBufMaxBytes,
                minRtoNanos,
                initialRtoNanos,
                maxRtoNanos,
                synRetries,
                maxRetries,
                timeWaitNanos,
                delayedAckNanos,
                sndBufBytes);
    }

    /** This config with SACK on or off. */
    public TcpConfig withSack(boolean enabled) {
        return new TcpConfig(
                mss,
                windowScale,
                enabled,
                initialCwndSegments,
                rcvBufBytes,
                rcvBufMaxBytes,
                minRtoNanos,
                initialRtoNanos,
                maxRtoNanos,
                synRetries,
                maxRetries,
                timeWaitNanos,
                delayedAckNanos,
                sndBufBytes);
    }

    /** This config with another MSS. */
    public TcpConfig withMss(int bytes) {
        return new TcpConfig(
                bytes,
                windowScale,
                sack,
                initialCwndSegments,
                rcvBufBytes,
                rcvBufMaxBytes,
                minRtoNanos,
                initialRtoNanos,
                maxRtoNanos,
                synRetries,
                maxRetries,
                timeWaitNanos,
                delayedAckNanos,
                sndBufBytes);
    }

    /** This config with delayed ACKs after {@code nanos} (0: acknowledge every segment at once). */
    public TcpConfig withDelayedAck(long nanos) {
        return new TcpConfig(
                mss,
                windowScale,
                sack,
                initialCwndSegments,
                rcvBufBytes,
                rcvBufMaxBytes,
                minRtoNanos,
                initialRtoNanos,
                maxRtoNanos,
                synRetries,
                maxRetries,
                timeWaitNanos,
                nanos,
                sndBufBytes);
    }

    /** This config with another TIME_WAIT duration. */
    public TcpConfig withTimeWait(long nanos) {
        return new TcpConfig(
                mss,
                windowScale,
                sack,
                initialCwndSegments,
                rcvBufBytes,
                rcvBufMaxBytes,
                minRtoNanos,
                initialRtoNanos,
                maxRtoNanos,
                synRetries,
                maxRetries,
                nanos,
                delayedAckNanos,
                sndBufBytes);
    }

    /** This config with a fixed send buffer of {@code bytes} ({@code SO_SNDBUF}; 0: autotuned, unlimited). */
    public TcpConfig withSendBuffer(int bytes) {
        return new TcpConfig(
                mss,
                windowScale,
                sack,
                initialCwndSegments,
                rcvBufBytes,
                rcvBufMaxBytes,
                minRtoNanos,
                initialRtoNanos,
                maxRtoNanos,
                synRetries,
                maxRetries,
                timeWaitNanos,
                delayedAckNanos,
                bytes);
    }

    /** Payload bytes that may be in flight: half the fixed send buffer, or unbounded when autotuned. */
    long sendBufferPayloadLimit() {
        return sndBufBytes == 0 ? Long.MAX_VALUE : payloadCapacity(sndBufBytes);
    }

    /** Bytes of payload the receive buffer {@code bufferBytes} holds (half: Linux's overhead share). */
    static int payloadCapacity(int bufferBytes) {
        return bufferBytes / 2;
    }
}
