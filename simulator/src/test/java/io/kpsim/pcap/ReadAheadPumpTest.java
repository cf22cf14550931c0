package io.kpsim.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpOptions;
import io.kpsim.packet.TcpSegment;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Whatever fails on the read-ahead thread, an {@code Error} included, ends the file with a last
 * batch that says so: the consumer is never left waiting for a batch that will not come.
 */
class ReadAheadPumpTest {

    private static final byte[] FRAME = LinkLayer.encode(
            LinkType.ETHERNET,
            Packet.tcp(
                    Ip4.parse("10.244.1.2"),
                    Ip4.parse("10.96.0.10"),
                    new TcpSegment(40001, 80, 1000, 0, TcpFlags.SYN, 64240, 0, TcpOptions.NONE, 0)));

    /** Hands out {@code good} records, then throws {@code failure} from {@code pcap_next_ex()}'s place. */
    private static final class FailingCursor extends RecordCursor {
        private final int good;
        private final Throwable failure;
        private int served;

        FailingCursor(int good, Throwable failure) {
            super(0);
            this.good = good;
            this.failure = failure;
        }

        @Override
        int next() {
            if (served == good) {
                if (failure instanceof Error e) {
                    throw e;
                }
                throw (RuntimeException) failure;
            }
            served++;
            frame = FRAME;
            originalLength = FRAME.length;
            timestampNanos = served * 1_000L;
            fractionNanos = timestampNanos;
            return PcapNextEx.RECORD;
        }
    }

    @Test
    void anErrorWhileReadingReachesTheConsumer() {
        for (Throwable injected : new Throwable[] {
            new StackOverflowError("injected"), new OutOfMemoryError("injected"), new IllegalStateException("injected")
        }) {
            ReadAheadPump pump =
                    new ReadAheadPump("x.pcap", null, new FailingCursor(3, injected), LinkType.ETHERNET, false);
            pump.start();
            RecordBatch last = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                RecordBatch b;
                int records = 0;
                do {
                    b = pump.take();
                    records += b.size;
                } while (!b.last);
                assertEquals(3, records, "the records before the failure are handed over first");
                return b;
            });
            assertInstanceOf(IllegalStateException.class, last.error, injected.toString());
            assertSame(injected, last.error.getCause());
            assertTrue(
                    last.error.getMessage().startsWith("x.pcap: reading record 3 failed: "), last.error.getMessage());
            pump.stop();
        }
    }

    @Test
    void aCorruptRecordHeaderEndsTheFileWithItsIndex() {
        RecordCursor cursor = new RecordCursor(0) {
            private int served;

            @Override
            int next() {
                served++;
                frame = FRAME;
                originalLength = served == 2 ? 20 : FRAME.length;
                timestampNanos = served;
                fractionNanos = served;
                return PcapNextEx.RECORD;
            }
        };
        ReadAheadPump pump = new ReadAheadPump("y.pcap", null, cursor, LinkType.ETHERNET, false);
        pump.start();
        RecordBatch b = assertTimeoutPreemptively(Duration.ofSeconds(30), pump::take);
        assertTrue(b.last);
        assertEquals(1, b.size, "the record before the bad one");
        assertInstanceOf(CaptureException.class, b.error);
        assertEquals(1, ((CaptureException) b.error).recordIndex());
        assertTrue(
                b.error.getMessage().startsWith("y.pcap: record 1 has an original length (20 bytes)"),
                b.error.getMessage());
        pump.stop();
    }
}
