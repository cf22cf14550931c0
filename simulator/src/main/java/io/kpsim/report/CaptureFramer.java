package io.kpsim.report;

import io.kpsim.packet.Packet;
import io.kpsim.packet.TcpSegment;
import io.kpsim.pcap.CaptureException;
import io.kpsim.pcap.PcapWriter;
import io.kpsim.pcap.TcpHeaderWords;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.BiFunction;

/**
 * The records of a {@code --pcap} run, framed on a thread of their own ({@code kpsim-pcap-framer})
 * rather than the run's: the run's thread only writes down, for each captured packet, the numbers
 * its record is made of ({@link TcpHeaderWords}: a few words, against a 144-byte record with two
 * checksums for a snapped data segment) into a block of words, and hands full blocks over, as
 * {@code TPACKET_V3} hands a ring's blocks to tcpdump; the framer thread frames them into the
 * captures' {@link PcapWriter}s. The framing was 30 to 35% of the run thread's samples in a
 * 1,000-download {@code --quiet --pcap} run (src/docs/benchmarks.md, section 8, "Session 12"). A
 * packet other than TCP (ICMP, UDP, rare in a run) is handed over as itself, an immutable record.
 *
 * <p>The run waits only when every block is full and not yet framed. What the framer thread fails
 * to write (a full disk) is thrown on the run's thread at its next hand-over or at {@link #finish},
 * in the recorder's words; after it, blocks are dropped unread. {@link #stop} (Ctrl-C, or a run
 * that failed) frames, when asked, every record written down before it, so an interrupted
 * capture keeps what the run had seen.
 */
final class CaptureFramer {

    /** Words in a block: 64 KiB, a thousand records or so. */
    static final int BLOCK_WORDS = 1 << 13;
    /**
     * Blocks in all (2 MiB): one being written down, the rest handed over or free; some milliseconds
     * of a run, so that the framer thread losing its core for a scheduler tick or two to other work
     * does not stop the run.
     */
    static final int BLOCKS = 32;
    /** Packets other than TCP a block holds. */
    static final int OTHERS = 256;

    /** A record's first word: the capture's index, and this bit for a packet handed over as itself. */
    private static final long OTHER = 1L << 32;
    /** The record's head (capture and kind, time), then the TCP packet's words. */
    private static final int HEAD = 2;

    private static final int ROOM = HEAD + TcpHeaderWords.MAX_WORDS;

    private static final VarHandle LENGTH;
    private static final VarHandle OTHERS_LENGTH;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            LENGTH = lookup.findVarHandle(Block.class, "length", int.class);
            OTHERS_LENGTH = lookup.findVarHandle(Block.class, "others", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Records written down one after another, and the packets of those that are not TCP. */
    private static final class Block {
        final long[] words = new long[BLOCK_WORDS];
        final Packet[] packets = new Packet[OTHERS];
        /** Words in use: released after each record, for {@link #stop} on another thread. */
        int length;
        /** Packets in use, released with {@link #length}. */
        int others;
    }

    private final PcapWriter[] writers;
    private final String[] files;
    private final BiFunction<String, CaptureException, CaptureException> failed;
    private final BlockingQueue<Block> full = new ArrayBlockingQueue<>(BLOCKS + 1);
    private final BlockingQueue<Block> free = new ArrayBlockingQueue<>(BLOCKS);
    /** Handed over last: the framer thread ends when it comes to it. */
    private final Block end = new Block();

    private final Thread thread;
    /** The block the run writes records into; swapped under this object's monitor. */
    private Block block = new Block();
    /** Set under the monitor once {@link #stop} or {@link #finish} has run: blocks are dropped. */
    private boolean stopped;
    /** What the framer thread could not write, in the recorder's words; then blocks are dropped. */
    private volatile RuntimeException failure;
    /** The capture whose writer failed, or -1. */
    private volatile int failedCapture = -1;

    /**
     * Frames records into {@code writers}, whose file names {@code files} gives for an error
     * message ({@code failed} puts a writer's failure into the recorder's words).
     */
    CaptureFramer(PcapWriter[] writers, String[] files, BiFunction<String, CaptureException, CaptureException> failed) {
        this.writers = writers;
        this.files = files;
        this.failed = failed;
        for (int i = 1; i < BLOCKS; i++) {
            free.add(new Block());
        }
        thread = new Thread(this::frameBlocks, "kpsim-pcap-framer");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Writes down {@code packet}, seen at {@code timeNanos}, for capture {@code capture} (none
     * when -1: a link's delivery to a pod); on the run's thread.
     *
     * @throws CaptureException when the framer thread could not write an earlier record
     * @throws IllegalArgumentException when the packet cannot be encoded
     */
    void append(int capture, long timeNanos, Packet packet) {
        if (capture < 0) {
            return;
        }
        Block b = block;
        int at = b.length;
        if (at > BLOCK_WORDS - ROOM || b.others == OTHERS) {
            b = handOver();
            at = 0;
        }
        long[] w = b.words;
        w[at + 1] = timeNanos;
        if (packet.transport() instanceof TcpSegment s) {
            int n = TcpHeaderWords.put(w, at + HEAD, packet, s);
            w[at] = capture;
            LENGTH.setRelease(b, at + HEAD + n);
        } else {
            w[at] = OTHER | capture;
            int k = b.others;
            b.packets[k] = packet;
            OTHERS_LENGTH.setRelease(b, k + 1);
            LENGTH.setRelease(b, at + HEAD);
        }
    }

    /** Hands the full block over and returns the next one to write into. */
    private synchronized Block handOver() {
        RuntimeException f = failure;
        if (f != null && !stopped) {
            throw f;
        }
        Block b = block;
        if (stopped) { // interrupted: what the run sees now is not kept
            b.length = 0;
            b.others = 0;
            return b;
        }
        putUninterruptibly(full, b);
        block = takeUninterruptibly(free);
        return block;
    }

    /**
     * Frames every record written down so far and ends the framer thread; on the run's thread. The
     * writers are then the caller's to close.
     *
     * @throws RuntimeException what the framer thread could not write (a {@link CaptureException}
     *         in the recorder's words)
     */
    synchronized void finish() {
        if (!stopped) {
            stopped = true;
            putUninterruptibly(full, block);
            putUninterruptibly(full, end);
            joinUninterruptibly();
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Ends the framer thread from any thread, framing first, when {@code keep}, every record
     * written down before this call (those of the block being written as far as it was); the
     * writers are then the caller's to close. Records written down afterwards are dropped.
     *
     * @return the index of the capture whose writer failed, or -1
     */
    synchronized int stop(boolean keep) {
        if (!stopped) {
            stopped = true;
            putUninterruptibly(full, end);
            joinUninterruptibly();
            if (keep && failure == null) {
                Block b = block;
                int others = (int) OTHERS_LENGTH.getAcquire(b);
                frame(b, (int) LENGTH.getAcquire(b), others);
            }
        }
        return failedCapture;
    }

    /** The framer thread: frames each block handed over, until {@link #end}. */
    private void frameBlocks() {
        while (true) {
            Block b = takeUninterruptibly(full);
            if (b == end) {
                return;
            }
            if (failure == null) {
                frame(b, b.length, b.others);
            }
            b.length = 0;
            b.others = 0;
            putUninterruptibly(free, b);
        }
    }

    /** Frames the first {@code length} words of {@code b}, holding {@code others} packets. */
    private void frame(Block b, int length, int others) {
        long[] w = b.words;
        int capture = -1;
        int k = 0;
        try {
            for (int at = 0; at < length; ) {
                long head = w[at];
                capture = (int) head;
                long time = w[at + 1];
                if ((head & OTHER) == 0) {
                    writers[capture].writeTcp(time, w, at + HEAD);
                    at += HEAD + TcpHeaderWords.words(w, at + HEAD);
                } else if (k < others) {
                    writers[capture].write(time, b.packets[k]);
                    b.packets[k++] = null;
                    at += HEAD;
                } else {
                    break; // its packet was not yet released when an interrupt came
                }
            }
        } catch (CaptureException e) {
            failedCapture = capture;
            failure = failed.apply(files[capture], e);
        } catch (RuntimeException e) {
            failedCapture = capture;
            failure = e;
        } catch (Error e) { // out of memory, say: the run must not wait for blocks this thread no longer frees
            failedCapture = capture;
            failure = new IllegalStateException("the framer thread of " + files[Math.max(capture, 0)] + " failed", e);
        }
    }

    private static <T> void putUninterruptibly(BlockingQueue<T> queue, T item) {
        boolean interrupted = false;
        while (true) {
            try {
                queue.put(item);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static <T> T takeUninterruptibly(BlockingQueue<T> queue) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return queue.take();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void joinUninterruptibly() {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
