package io.kpsim.report.html;

import io.kpsim.conntrack.Tuple;
import io.kpsim.packet.Packet;
import io.kpsim.packet.Protocol;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpSegment;

/**
 * The JSON the page's script reads to fill the packet panel: every arrow of the main ladder with
 * the whole packet (absolute and relative numbers, options, IP fields), the verdict, the NAT
 * rewrite and the conntrack entry before and after. Formatted here, once, because it is printed.
 */
final class PageData {

    private PageData() {}

    static String of(Ladder ladder) {
        StringBuilder s = new StringBuilder(32_768);
        Json j = new Json(s).open();
        j.put("packets", ladder.packetCount());
        boolean recorded = false;
        for (Arrow a : ladder.arrows()) {
            recorded |= a.conntrack() != null;
        }
        j.put("conntrackRecorded", recorded);
        j.openArray("lanes");
        for (Lane l : ladder.lanes()) {
            j.element().put("name", l.name()).put("kind", l.kind().name()).close();
        }
        j.closeArray().openArray("steps");
        for (StoryMark m : ladder.steps()) {
            j.element()
                    .put("n", m.number())
                    .put("title", m.title())
                    .put("arrow", m.arrow())
                    .close();
        }
        j.closeArray().openArray("arrows");
        for (Arrow a : ladder.arrows()) {
            arrow(j.element(), a, ladder);
            j.close();
        }
        j.closeArray().close();
        return s.toString();
    }

    private static void arrow(Json j, Arrow a, Ladder ladder) {
        Packet p = a.packet();
        j.put("i", a.index())
                .put("p", a.packetIndex())
                .put("id", a.packetId())
                .put("from", ladder.lanes().get(a.from()).name())
                .put("to", ladder.lanes().get(a.to()).name())
                .put("depart", Fmt.time(a.departNanos()))
                .put("arrive", Fmt.time(a.arriveNanos()))
                .put("summary", Fmt.summary(p))
                .put("label", Fmt.label(a))
                .put("src", Address.source(p).toString())
                .put("dst", Address.destination(p).toString())
                .put("ttl", p.ttl())
                .put("ipId", p.ipId())
                .put("tos", p.tos())
                .put("injected", a.injected())
                .put("end", a.end().name())
                .put("detail", a.detail())
                .put("action", a.action());
        if (p.protocol() == Protocol.TCP) {
            TcpSegment t = p.tcp();
            j.put("flags", "[" + TcpFlags.tcpdump(t.flags()) + "]")
                    .put("flagNames", TcpFlags.names(t.flags()))
                    .put("seq", Integer.toUnsignedLong(t.seq()))
                    .put("ack", Integer.toUnsignedLong(t.ack()))
                    .put("rseq", a.relativeSeq(), Arrow.UNKNOWN)
                    .put("rack", a.relativeAck(), Arrow.UNKNOWN)
                    .put("len", t.payloadLength())
                    .put("win", t.window())
                    .put("winBytes", a.windowBytes(), -1)
                    .put("options", t.options().tcpdump());
        }
        if (a.verdict() == null) {
            j.putNull("verdict");
        } else {
            j.object("verdict")
                    .put(
                            "state",
                            a.verdict().state() == null
                                    ? null
                                    : a.verdict().state().name())
                    .put("word", a.verdict().word())
                    .put("ignored", a.verdict().ignored())
                    .put("reason", a.verdict().reason())
                    .close();
        }
        if (a.nat() == null) {
            j.putNull("nat");
        } else {
            j.object("nat")
                    .put("kind", a.nat().kind().name())
                    .put("label", a.nat().label())
                    .put("description", a.nat().description())
                    .close();
        }
        if (a.conntrack() == null) {
            j.putNull("ct");
        } else {
            j.object("ct");
            entry(j, "before", a.conntrack().before());
            entry(j, "after", a.conntrack().after());
            j.close();
        }
    }

    private static void entry(Json j, String name, CtEntry e) {
        if (e == null) {
            j.putNull(name);
            return;
        }
        j.object(name)
                .put("original", tuple(e.original()))
                .put("reply", tuple(e.reply()))
                .put("state", e.state() == null ? null : e.state().name());
        window(j, "originalWindow", e.originalWindow());
        window(j, "replyWindow", e.replyWindow());
        j.close();
    }

    private static void window(Json j, String name, CtWindow w) {
        j.object(name)
                .put("tdEnd", w.tdEnd())
                .put("tdMaxEnd", w.tdMaxEnd())
                .put("tdMaxWin", w.tdMaxWin())
                .put("tdScale", w.tdScale())
                .close();
    }

    private static String tuple(Tuple t) {
        return t.conntrackText();
    }
}
