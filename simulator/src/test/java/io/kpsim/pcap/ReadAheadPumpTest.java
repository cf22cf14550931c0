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

    private static final CaptureInterface ETHERNET = new CaptureInterface(0, LinkType.ETHERNET, 0, null, 9);

    /** Hands out {@code good} records, then throws {@code failure} from the file reader's place. */
    private static final class FailingSource extends RecordSource {
        private final int good;
        private final Throwable failure;
        private int served;

        FailingSource(int good, Throwable failure) {
            this.good = good;
            this.failure = failure;
        }

        @Override
        boolean next() {
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
            iface = ETHERNET;
            return true;
        }

        @Override
        CaptureInterface firstInterface() {
            return ETHERNET;
        }

        @Override
        public void close() {}
    }

    @Test
    void anErrorWhileReadingReachesTheConsumer() {
        for (Throwable injected : new Throwable[] {
            new StackOverflowError("injected"), new OutOfMemoryError("injected"), new IllegalStateException("injected")
        }) {
            ReadAheadPump pump = new ReadAheadPump("x.pcap", new FailingSource(3, injected), false);
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
    void aBadRecordEndsTheFileWithItsIndexAfterTheRecordsBeforeIt() {
        CaptureException bad = new CaptureException("y.pcap: record 1 is truncated", 1);
        ReadAheadPump pump = new ReadAheadPump("y.pcap", new FailingSource(1, bad), false);
        pump.start();
        RecordBatch b = assertTimeoutPreemptively(Duration.ofSeconds(30), pump::take);
        assertTrue(b.last);
        assertEquals(1, b.size, "the record before the bad one");
        assertSame(bad, b.error, "a bad record is the user's: passed on as it is");
        pump.stop();
    }
}
