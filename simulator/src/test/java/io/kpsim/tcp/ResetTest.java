package io.kpsim.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kpsim.engine.Durations;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpOptions;
import io.kpsim.packet.TcpSegment;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RST generation (RFC 9293 §3.10.7.1) and acceptance (RFC 5961 §3.2, §4). */
class ResetTest {

    private static final int STRANGER = Ip4.parse("10.0.9.9");

    private static Packet segment(int src, int srcPort, int dst, int dstPort, int seq, int ack, int flags, int len) {
        return Packet.tcp(src, dst, new TcpSegment(srcPort, dstPort, seq, ack, flags, 1000, 0, TcpOptions.NONE, len));
    }

    private static TcpSegment lastSent(TestNet net) {
        return net.wire.get(net.wire.size() - 1).tcp();
    }

    @Test
    void segmentWithAckForNoSocketGetsRstWithSeqFromItsAck() {
        TestNet net = new TestNet();
        net.inject(
                net.client,
                segment(STRANGER, 8080, TestNet.CLIENT_IP, 40000, 5000, 777_000, TcpFlags.ACK | TcpFlags.PSH, 100));
        TestNet.Sent rst = net.wire.get(0);
        assertEquals(TcpFlags.RST, rst.tcp().flags());
        assertEquals(777_000, rst.tcp().seq(), "<SEQ=SEG.ACK>");
        assertEquals(0, rst.tcp().ack());
        assertEquals(STRANGER, rst.packet().dstIp());
        assertEquals(40000, rst.tcp().srcPort());
        assertEquals(8080, rst.tcp().dstPort());
        assertEquals(List.of("client in NO_SOCKET_RST_SENT", "client out RST_NO_SOCKET"), net.events(""));
        assertEquals("no socket: sent RST", SegmentAction.NO_SOCKET_RST_SENT.text());
        assertEquals(1, net.client.counters().get(TcpCounter.RESETS_SENT));
    }

    @Test
    void segmentWithoutAckForNoSocketGetsRstAckCoveringItsLength() {
        TestNet net = new TestNet();
        net.inject(net.client, segment(STRANGER, 8080, TestNet.CLIENT_IP, 40000, 5000, 0, TcpFlags.FIN, 100));
        TcpSegment rst = lastSent(net);
        assertEquals(TcpFlags.RST | TcpFlags.ACK, rst.flags());
        assertEquals(0, rst.seq(), "<SEQ=0>");
        assertEquals(5000 + 100 + 1, rst.ack(), "<ACK=SEG.SEQ+SEG.LEN>, the FIN counted");
    }

    @Test
    void rstForNoSocketIsNeverAnswered() {
        TestNet net = new TestNet();
        net.inject(net.client, segment(STRANGER, 8080, TestNet.CLIENT_IP, 40000, 5000, 0, TcpFlags.RST, 0));
        assertTrue(net.wire.isEmpty());
        assertEquals(List.of("client in NO_SOCKET_RST_DROPPED"), net.events(""));
        assertEquals(1, net.client.counters().get(TcpCounter.RESETS_RECEIVED));
        assertEquals(0, net.client.counters().get(TcpCounter.RESETS_SENT));
    }

    /** An established connection; returns {client socket, server socket}. */
    private static TcpSocket[] connected(TestNet net, TestNet.Recorder serverApp) {
        net.server.listen(80, s -> serverApp);
        TcpSocket client = net.client.connect(TestNet.SERVER_IP, 80, new TestNet.Recorder());
        net.sim.runUntil(Durations.millis(50));
        client.write(3000);
        net.sim.runUntil(Durations.millis(100));
        return new TcpSocket[] {client, serverApp.socket};
    }

    private static Packet rstFromClient(TcpSocket client, int seq) {
        return segment(TestNet.CLIENT_IP, client.localPort(), TestNet.SERVER_IP, 80, seq, 0, TcpFlags.RST, 0);
    }

    @Test
    void rstExactlyAtRcvNxtResetsTheConnection() {
        TestNet net = new TestNet();
        TestNet.Recorder serverApp = new TestNet.Recorder();
        TcpSocket[] s = connected(net, serverApp);
        TcpSocket server = s[1];
        int rcvNxt = server.rcvNxt();
        net.inject(net.server, rstFromClient(s[0], rcvNxt));
        assertEquals(TcpState.CLOSED, server.state());
        assertEquals(CloseReason.RESET, serverApp.closed);
        assertEquals(List.of("server in RST_ACCEPTED"), net.events("in RST"));
        assertEquals("RST accepted: seq == RCV.NXT", SegmentAction.RST_ACCEPTED.text());
        assertEquals(1, server.counters().get(TcpCounter.RESETS_ACCEPTED));
        assertTrue(net.server.sockets().isEmpty());
    }

    @Test
    void rstInWindowButNotAtRcvNxtGetsChallengeAck() {
        TestNet net = new TestNet();
        TestNet.Recorder serverApp = new TestNet.Recorder();
        TcpSocket[] s = connected(net, serverApp);
        TcpSocket server = s[1];
        int before = net.wire.size();
        net.inject(net.server, rstFromClient(s[0], server.rcvNxt() + 1000));
        assertEquals(TcpState.ESTABLISHED, server.state());
        assertEquals(before + 1, net.wire.size());
        TcpSegment challenge = lastSent(net);
        assertEquals(TcpFlags.ACK, challenge.flags());
        assertEquals(server.sndNxt(), challenge.seq(), "<SEQ=SND.NXT>");
        assertEquals(server.rcvNxt(), challenge.ack(), "<ACK=RCV.NXT>");
        assertEquals(
                List.of("server in RST_CHALLENGED", "server out CHALLENGE_ACK"),
                net.events("").subList(net.events("").size() - 2, net.events("").size()));
        assertEquals(1, net.server.counters().get(TcpCounter.CHALLENGE_ACKS_SENT));
        // The challenge ACK reaches the client, which is in sync: nothing more happens.
        net.sim.runUntil(Durations.seconds(1));
        assertEquals(TcpState.ESTABLISHED, s[0].state());
    }

    @Test
    void rstOutsideTheWindowIsSilentlyDropped() {
        TestNet net = new TestNet();
        TestNet.Recorder serverApp = new TestNet.Recorder();
        TcpSocket[] s = connected(net, serverApp);
        int before = net.wire.size();
        net.inject(net.server, rstFromClient(s[0], s[1].rcvNxt() + 10_000_000));
        net.inject(net.server, rstFromClient(s[0], s[1].rcvNxt() - 1));
        assertEquals(before, net.wire.size(), "no answer");
        assertEquals(TcpState.ESTABLISHED, s[1].state());
        assertEquals(List.of("server in RST_OUT_OF_WINDOW", "server in RST_OUT_OF_WINDOW"), net.events("in RST"));
        assertEquals(2, net.server.counters().get(TcpCounter.RESETS_RECEIVED));
        assertEquals(0, net.server.counters().get(TcpCounter.RESETS_ACCEPTED));
    }

    @Test
    void synOnEstablishedConnectionGetsChallengeAck() {
        TestNet net = new TestNet();
        TestNet.Recorder serverApp = new TestNet.Recorder();
        TcpSocket[] s = connected(net, serverApp);
        net.inject(
                net.server,
                segment(TestNet.CLIENT_IP, s[0].localPort(), TestNet.SERVER_IP, 80, 12345, 0, TcpFlags.SYN, 0));
        assertEquals(TcpState.ESTABLISHED, s[1].state());
        TcpSegment challenge = lastSent(net);
        assertEquals(TcpFlags.ACK, challenge.flags());
        assertEquals(s[1].rcvNxt(), challenge.ack());
        assertTrue(net.events("in ").contains("server in SYN_CHALLENGED"));
    }

    @Test
    void abortSendsRstThatThePeerAccepts() {
        TestNet net = new TestNet();
        TestNet.Recorder serverApp = new TestNet.Recorder();
        TcpSocket[] s = connected(net, serverApp);
        s[0].abort();
        assertEquals(TcpState.CLOSED, s[0].state());
        TcpSegment rst = lastSent(net);
        assertEquals(TcpFlags.RST | TcpFlags.ACK, rst.flags());
        net.sim.runUntil(Durations.seconds(1));
        assertEquals(CloseReason.RESET, serverApp.closed);
        assertEquals(List.of("server in RST_ACCEPTED"), net.events("in RST"));
    }

    /**
     * The Kubernetes story: the client talks to a service VIP that the wire DNATs to the server
     * pod. One reply escapes reverse NAT (conntrack called it INVALID), so the client sees the pod
     * IP, finds no socket and sends RST <SEQ=SEG.ACK>, which lands exactly on the server's RCV.NXT.
     */
    @Test
    void replyFromPodIpIsResetByClientAndServerAcceptsTheRst() {
        int vip = Ip4.parse("10.96.0.10");
        boolean[] skipReverseNat = {false};
        TestNet net = new TestNet() {
            @Override
            void send(Packet packet) {
                Packet p = packet;
                if (p.dstIp() == vip) {
                    p = p.withDestination(TestNet.SERVER_IP, 8080);
                } else if (p.srcIp() == TestNet.SERVER_IP && !skipReverseNat[0]) {
                    p = p.withSource(vip, 80);
                }
                super.send(p);
            }
        };
        TestNet.Recorder serverApp = new TestNet.Recorder();
        net.server.listen(8080, s -> serverApp);
        TestNet.Recorder clientApp = new TestNet.Recorder();
        TcpSocket client = net.client.connect(vip, 80, clientApp);
        net.sim.runUntil(Durations.millis(50));
        assertEquals(TcpState.ESTABLISHED, client.state());
        TcpSocket server = serverApp.socket;

        skipReverseNat[0] = true;
        server.write(500);
        net.sim.runUntil(Durations.millis(100));

        List<String> story = net.events("");
        int from = story.indexOf("client in NO_SOCKET_RST_SENT");
        assertTrue(from >= 0, story.toString());
        assertEquals(
                List.of(
                        "client in NO_SOCKET_RST_SENT",
                        "client out RST_NO_SOCKET",
                        "server in RST_ACCEPTED",
                        "server state ESTABLISHED->CLOSED"),
                story.subList(from, from + 4));
        assertEquals(CloseReason.RESET, serverApp.closed);
        assertEquals(TcpState.ESTABLISHED, client.state(), "the client never learns; its socket is intact");
        assertEquals(1, net.client.counters().get(TcpCounter.RESETS_SENT));
        assertEquals(1, net.server.counters().get(TcpCounter.RESETS_ACCEPTED));
    }

    @Test
    void rstAtTheHighestSackedSequenceIsAcceptedAsOnLinux() {
        TestNet net = new TestNet();
        TestNet.Recorder serverApp = new TestNet.Recorder();
        TcpSocket[] s = connected(net, serverApp);
        int rcvNxt = s[1].rcvNxt();
        // Out-of-order data leaves a hole at RCV.NXT; the server SACKs [rcvNxt+1000, rcvNxt+1500).
        net.inject(
                net.server,
                segment(
                        TestNet.CLIENT_IP,
                        s[0].localPort(),
                        TestNet.SERVER_IP,
                        80,
                        rcvNxt + 1000,
                        s[1].sndNxt(),
                        TcpFlags.ACK,
                        500));
        net.inject(net.server, rstFromClient(s[0], rcvNxt + 1500));
        assertEquals(List.of("server in RST_ACCEPTED_SACK_EDGE"), net.events("in RST"));
        assertEquals(CloseReason.RESET, serverApp.closed);
    }

    @Test
    void rstOneBelowRcvNxtAfterThePeersFinIsAccepted() {
        TestNet net = new TestNet();
        TestNet.Recorder serverApp = new TestNet.Recorder();
        TcpSocket[] s = connected(net, serverApp);
        s[0].close();
        net.sim.runUntil(Durations.millis(200));
        assertEquals(TcpState.CLOSE_WAIT, s[1].state());
        net.inject(net.server, rstFromClient(s[0], s[1].rcvNxt() - 1));
        assertEquals(List.of("server in RST_ACCEPTED_AFTER_FIN"), net.events("in RST"));
        assertEquals(TcpState.CLOSED, s[1].state());
    }
}
