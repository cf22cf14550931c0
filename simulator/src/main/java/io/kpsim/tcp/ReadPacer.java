package io.kpsim.tcp;

import io.kpsim.engine.Timer;

/**
 * An application that reads its socket at a limited rate ({@link TcpSocket#setReadRate}): the rate
 * and the timer that paces its reads, made only for a socket whose reader is given a rate. Most
 * sockets' applications read everything as soon as it arrives (the kernel's reader wakes on
 * {@code sk_data_ready()}), so a {@link TcpReceiver} keeps these 12 bytes out of line, as the
 * kernel keeps the reader's state in the application, not in {@code struct tcp_sock} (issue 17's
 * memory per connection: a receiver of 72 bytes instead of 80).
 */
final class ReadPacer {

    /** Bytes per second, 0 when the reader stopped, or {@link TcpReceiver#READ_INSTANTLY}. */
    long rate;
    /** Made on the first paced read, as before the rate moved here. */
    Timer timer;

    ReadPacer(long rate) {
        this.rate = rate;
    }
}
