package io.kpsim.conntrack;

import io.kpsim.conntrack.profile.Kernel;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpOptions;
import io.kpsim.packet.TcpSegment;

/** Test fixture: one TCP connection between a client and a server through one tracker. */
final class Flow {

    static final int SYN = TcpFlags.SYN;
    static final int ACK = TcpFlags.ACK;
    static final int SYNACK = TcpFlags.SYN | TcpFlags.ACK;
    static final int PSHACK = TcpFlags.PSH | TcpFlags.ACK;
    static final int FINACK = TcpFlags.FIN | TcpFlags.ACK;
    static final int RST = TcpFlags.RST;
    static final int RSTACK = TcpFlags.RST | TcpFlags.ACK;
    static final long SECOND = 1_000_000_000L;

    final Conntrack ct;
    final int clientIp = Ip4.parse("10.244.1.5");
    final int serverIp = Ip4.parse("10.244.2.7");
    int clientPort = 40000;
    final int serverPort = 8080;
    long now = 1_000 * SECOND;
    /** Client and server next sequence numbers, maintained by the helpers. */
    int cSeq;

    int sSeq;
    int entry = Conntrack.NO_ENTRY;
    /** The raw window the client advertises after the handshake. */
    int clientWindow = 502;

    Flow(Kernel kernel) {
        this(Sysctls.defaults(kernel));
    }

    Flow(Sysctls sysctls) {
        this.ct = new Conntrack(sysctls.kernel(), sysctls, 42);
    }

    static Flow of(Kernel k, String... assignments) {
        Sysctls s = Sysctls.defaults(k);
        for (String a : assignments) {
            s = s.withAssignment(a);
        }
        return new Flow(s);
    }

    /** A packet from the client, confirmed when NEW. */
    CtResult client(int flags, int seq, int ack, int window, int len, TcpOptions options) {
        return send(Packet.tcp(
                clientIp, serverIp, new TcpSegment(clientPort, serverPort, seq, ack, flags, window, 0, options, len)));
    }

    /** A packet from the server, confirmed when NEW. */
    CtResult server(int flags, int seq, int ack, int window, int len, TcpOptions options) {
        return send(Packet.tcp(
                serverIp, clientIp, new TcpSegment(serverPort, clientPort, seq, ack, flags, window, 0, options, len)));
    }

    CtResult client(int flags, int seq, int ack) {
        return client(flags, seq, ack, 502, 0, TcpOptions.NONE);
    }

    CtResult server(int flags, int seq, int ack) {
        return server(flags, seq, ack, 509, 0, TcpOptions.NONE);
    }

    CtResult send(Packet p) {
        CtResult r = ct.in(p, true, now);
        if (r.state() == CtState.NEW && (ct.status(r.entry()) & Status.CONFIRMED) == 0) {
            ct.confirm(r.entry(), now);
        }
        if (r.tracked()) {
            entry = r.entry();
        }
        return r;
    }

    /**
     * SYN, SYN/ACK, ACK with the given ISNs; windows 64240/65160 with scale 7 on both sides when
     * {@code scale} is true, else unscaled 65535 both sides.
     */
    Flow handshake(int clientIsn, int serverIsn, boolean scale) {
        TcpOptions copt = scale ? TcpOptions.syn(1460, 7, true) : TcpOptions.syn(1460, TcpOptions.ABSENT, true);
        TcpOptions sopt = scale ? TcpOptions.syn(1460, 7, true) : TcpOptions.syn(1460, TcpOptions.ABSENT, true);
        client(SYN, clientIsn, 0, scale ? 64240 : 65535, 0, copt);
        server(SYNACK, serverIsn, clientIsn + 1, scale ? 65160 : 65535, 0, sopt);
        client(ACK, clientIsn + 1, serverIsn + 1, scale ? 502 : 65535, 0, TcpOptions.NONE);
        clientWindow = scale ? 502 : 65535;
        cSeq = clientIsn + 1;
        sSeq = serverIsn + 1;
        return this;
    }

    TcpState state() {
        return ct.tcpState(entry);
    }

    void advance(long nanos) {
        now += nanos;
    }

    /** A full handshake on {@code ct} between two endpoints at {@code now}, confirming the entry. */
    static int handshakeOn(Conntrack ct, int client, int server, int cport, int sport, long now) {
        CtResult syn = ct.in(
                Packet.tcp(client, server, new TcpSegment(cport, sport, 1000, 0, SYN, 65535, 0, TcpOptions.NONE, 0)),
                true,
                now);
        ct.confirm(syn.entry(), now);
        ct.in(
                Packet.tcp(
                        server, client, new TcpSegment(sport, cport, 5000, 1001, SYNACK, 65535, 0, TcpOptions.NONE, 0)),
                true,
                now);
        ct.in(
                Packet.tcp(client, server, new TcpSegment(cport, sport, 1001, 5001, ACK, 65535, 0, TcpOptions.NONE, 0)),
                true,
                now);
        return syn.entry();
    }
}
