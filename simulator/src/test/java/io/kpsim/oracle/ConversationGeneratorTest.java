package io.kpsim.oracle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConversationGeneratorTest {

    @TempDir
    Path dir;

    @Test
    void sameSeedSameBytesOtherSeedOtherBytes() throws IOException {
        List<Path> a = new ConversationGenerator(9).write(dir.resolve("a"), 40, 10);
        List<Path> b = new ConversationGenerator(9).write(dir.resolve("b"), 40, 10);
        List<Path> c = new ConversationGenerator(10).write(dir.resolve("c"), 40, 10);
        assertEquals(4, a.size());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(Files.readAllBytes(a.get(i)), Files.readAllBytes(b.get(i)));
        }
        assertNotEquals(0, Files.size(a.get(0)));
        assertTrue(!java.util.Arrays.equals(Files.readAllBytes(a.get(0)), Files.readAllBytes(c.get(0))));
    }

    @Test
    void everyKindTalksToTheVipAndHearsFromThePod() {
        List<ConversationGenerator.Conversation> all = new ConversationGenerator(3).conversations(60);
        Set<ConversationGenerator.Kind> kinds = EnumSet.noneOf(ConversationGenerator.Kind.class);
        Set<Integer> ports = new HashSet<>();
        int vip = ConversationGenerator.SERVICE.vip();
        int pod = ConversationGenerator.SERVICE.endpoints().get(0).ip();
        for (ConversationGenerator.Conversation c : all) {
            kinds.add(c.kind());
            assertTrue(c.packets().size() >= 1, c.kind().toString());
            Set<Integer> clientPorts = new HashSet<>();
            for (Packet p : c.packets()) {
                assertTrue(
                        p.dstIp() == vip
                                || p.srcIp() == pod
                                || c.kind() == ConversationGenerator.Kind.PICKUP && p.dstIp() == pod,
                        c.kind() + ": " + p.summary());
                if (p.tcp() != null) {
                    clientPorts.add(p.srcIp() == pod ? p.dstPort() : p.srcPort());
                }
            }
            assertEquals(1, clientPorts.size(), c.kind().toString());
            assertTrue(ports.add(clientPorts.iterator().next()), "client ports are unique");
        }
        assertEquals(EnumSet.allOf(ConversationGenerator.Kind.class), kinds);
        assertTrue(all.stream().anyMatch(c -> c.packets().stream().anyMatch(p -> p.icmp() != null)));
        assertTrue(Ip4.format(all.get(0).packets().get(0).srcIp()).startsWith("10.244.0."));
    }

    @Test
    void refusesEmptyFiles() {
        assertThrows(() -> new ConversationGenerator(1).write(dir, 3, 0));
    }

    private static void assertThrows(org.junit.jupiter.api.function.Executable e) {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, e);
    }
}
