package io.kpsim.oracle;

import io.kpsim.packet.Packet;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes packets as a classic libpcap file (little-endian, microseconds, {@code LINKTYPE_ETHERNET},
 * fixed locally administered MACs), readable by tcpdump, Wireshark and {@code kpsim replay}.
 * Records are 1 ms apart: the generated conversations do not depend on timeouts.
 */
final class PcapFileWriter {

    private static final byte[] ETHERNET = {2, 0x6b, 0x70, 0, 1, 0, 2, 0x6b, 0x70, 0, 2, 0, 0x08, 0};

    private PcapFileWriter() {
    }

    /** Writes {@code packets} to {@code path}, replacing it. */
    static void write(Path path, List<Packet> packets) {
        int size = 24;
        byte[][] encoded = new byte[packets.size()][];
        for (int i = 0; i < packets.size(); i++) {
            encoded[i] = WireEncoder.encode(packets.get(i));
            size += 16 + ETHERNET.length + encoded[i].length;
        }
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(262144).putInt(1);
        for (int i = 0; i < encoded.length; i++) {
            int length = ETHERNET.length + encoded[i].length;
            b.putInt(1_700_000_000 + i / 1000).putInt((i % 1000) * 1000).putInt(length).putInt(length);
            b.put(ETHERNET).put(encoded[i]);
        }
        try {
            Files.write(path, b.array());
        } catch (IOException e) {
            throw new IllegalArgumentException(path + ": cannot write: " + e.getMessage(), e);
        }
    }
}
