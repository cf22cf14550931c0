package io.kpsim.replay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Hands immutable items from the replaying thread to one output thread, in order, a batch at a
 * time through a bounded queue: what {@code kpsim replay}'s JSON Lines and text outputs share, so
 * that formatting and writing run on the second core while the node replays the next packets.
 *
 * <p>Why bounded and small: at most {@code depth + 2} batches are in flight, so the items die young
 * (see {@code ReadAheadPump.MAX_BATCH}) and memory does not grow with the capture, however far the
 * output falls behind; the producer then waits. The order of the output is the order of
 * {@link #add}: one consumer, one queue.
 *
 * <p>{@link #finish()} hands over what is left, lets the {@link Drain} write and flush it, ends the
 * thread and throws the first failure, if any; it must be called at the end. A failure also
 * surfaces at the next {@link #add}. Any failure of the output thread, an {@code Error} included,
 * is such a failure: the producer is never left waiting on a thread that is gone. After a failure
 * the thread keeps taking batches (dropping them) until {@link #finish()}. The thread starts again
 * with the next item. One producer thread only.
 *
 * @param <T> the items, which must not change once added
 */
final class OutputThread<T> {

    /** What the output thread does with the items. */
    interface Drain<T> {
        /** Formats (and may write) {@code items}, which end at the first {@code null} or the array's end. */
        void batch(T[] items) throws IOException;

        /** Writes whatever is still gathered and flushes the output: everything added so far is out. */
        void end() throws IOException;
    }

    /** How often a producer waiting for room looks whether the output thread is still alive. */
    private static final long PUT_POLL_MILLIS = 200;

    private final String threadName;
    private final String name;
    private final int size;
    private final IntFunction<T[]> arrays;
    private final Drain<T> drain;
    private final BlockingQueue<T[]> queue;
    private final BlockingQueue<T[]> spare;
    private T[] batch;
    private int count;
    private Thread thread;
    private volatile RuntimeException failure;

    /**
     * An output thread, not started until the first batch.
     *
     * @param threadName the thread's name
     * @param name what the thread is, in messages ("the NAME failed")
     * @param size items per hand-over
     * @param depth batches queued ahead of the output thread
     * @param arrays makes an item array of the given length
     * @param drain what the output thread does
     */
    OutputThread(String threadName, String name, int size, int depth, IntFunction<T[]> arrays, Drain<T> drain) {
        this.threadName = threadName;
        this.name = name;
        this.size = size;
        this.arrays = arrays;
        this.drain = drain;
        this.queue = new ArrayBlockingQueue<>(depth);
        this.spare = new ArrayBlockingQueue<>(depth + 2);
        this.batch = arrays.apply(size);
    }

    /** Adds one item, after those added before. */
    void add(T item) {
        batch[count++] = item;
        if (count == size) {
            handOver(false);
        }
    }

    /** Writes every item added, flushes the output, ends the thread and throws a failure, if any. */
    void finish() {
        if (thread == null && count == 0) {
            throwFailure(); // nothing added since the last finish: nothing to write or flush
            return;
        }
        handOver(true);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the " + name, e);
        } finally {
            thread = null;
        }
        throwFailure();
    }

    /**
     * Queues the current batch (null-terminated when short), then, if {@code last}, the empty batch
     * that ends the thread.
     */
    private void handOver(boolean last) {
        if (!last) {
            throwFailure(); // finish() still ends the thread first
        }
        if (thread == null) {
            thread = new Thread(this::run, threadName);
            thread.setDaemon(true);
            thread.start();
        }
        if (count < size) {
            batch[count] = null;
        }
        put(batch);
        if (last) {
            put(arrays.apply(0));
        }
        T[] next = spare.poll();
        batch = next != null ? next : arrays.apply(size);
        count = 0;
    }

    /** Queues {@code items}; never waits on an output thread that is gone. */
    private void put(T[] items) {
        try {
            while (!queue.offer(items, PUT_POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                if (!thread.isAlive()) {
                    throwFailure();
                    throw new IllegalStateException("the " + name + " thread ended without a word");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while handing records to the " + name, e);
        }
    }

    /** The output thread: drains batches until the empty batch {@link #finish()} sends. */
    private void run() {
        boolean ended = false;
        try {
            while (true) {
                T[] items = queue.take();
                if (items.length == 0) {
                    ended = true;
                    drain.end();
                    return;
                }
                drain.batch(items);
                Arrays.fill(items, null); // the items may die before the array is reused
                spare.offer(items);
            }
        } catch (IOException e) {
            failure = new UncheckedIOException(e);
        } catch (InterruptedException e) {
            failure = new IllegalStateException(name + " interrupted", e);
        } catch (RuntimeException e) {
            failure = e; // e.g. the output's own unchecked write error: passed on as it is
        } catch (Throwable e) { // an Error: the producer must hear of it, not wait on a dead thread
            failure = new IllegalStateException("the " + name + " failed: " + e, e);
        }
        // Failed: keep taking batches so the producer never blocks, until finish()'s empty one.
        try {
            while (!ended) {
                ended = queue.take().length == 0;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void throwFailure() {
        RuntimeException f = failure;
        if (f != null) {
            throw f;
        }
    }
}
