package io.kpsim.conntrack;

import io.kpsim.property.Source;
import java.util.ArrayList;
import java.util.List;

/**
 * One step of a {@link ConntrackStatefulPropertyTest} chain: a segment, a well-behaved
 * conversation, a clock jump, or a {@code conntrack -L}. Steps are drawn without looking at the
 * tracker, so any sub-list of a chain is a chain; each step knows how to run itself on a {@link
 * ChainMachine} and which simpler steps may stand in for it when a failing chain is shrunk.
 */
sealed interface ChainStep permits ChainStep.Send, ChainStep.Converse, ChainStep.Advance, ChainStep.ListEntries {

    long SECOND = 1_000_000_000L;

    /** Clock jumps: a retransmission's delay, then past the TCP timeouts up to ESTABLISHED's 5 days. */
    long[] JUMPS = {SECOND / 1000, SECOND, 30 * SECOND, 130 * SECOND, 3_600 * SECOND, 6 * 86_400 * SECOND};

    /** The window conversations advertise. */
    int WINDOW = 502;

    void applyTo(ChainMachine m);

    /** Replacements for this step, simplest first ({@link io.kpsim.property.StatefulSpec#simplerSteps}). */
    List<List<ChainStep>> simpler();

    /** The kinds of step, with how often each is drawn. */
    enum Draw {
        SEND(8),
        HANDSHAKE(3),
        EXCHANGE(4),
        CLOSE(1),
        ADVANCE(2),
        LIST(1);

        final int weight;

        Draw(int weight) {
            this.weight = weight;
        }
    }

    static ChainStep draw(Source random) {
        Draw[] kinds = Draw.values();
        int[] weights = new int[kinds.length];
        for (int i = 0; i < kinds.length; i++) {
            weights[i] = kinds[i].weight;
        }
        return switch (kinds[random.weighted(weights)]) {
            case SEND -> Send.draw(random);
            case HANDSHAKE -> Converse.draw(random, Conversation.HANDSHAKE);
            case EXCHANGE -> Converse.draw(random, Conversation.EXCHANGE);
            case CLOSE -> Converse.draw(random, Conversation.CLOSE);
            case ADVANCE -> new Advance(random.pickLong(JUMPS));
            case LIST -> new ListEntries();
        };
    }

    /** What happens to a packet after conntrack has seen it. */
    enum Fate {
        /** The packet goes through; a new entry is confirmed (POSTROUTING or INPUT). */
        ACCEPTED,
        /** The packet has a bad TCP checksum, which {@code tcp_error} refuses. */
        BAD_CHECKSUM,
        /** A later hook drops the packet, so a new entry is never confirmed. */
        DROPPED_LATER
    }

    /**
     * One segment from the client ({@code fromServer} false) or the server of flow {@code flow}.
     * {@code length} is the payload of data; {@code offset} moves a new ISN, an out-of-window
     * number, or picks a bad flag set; {@code variant} picks the SYN options (bit 0: window scale 7,
     * bit 1: SACK permitted) or, on data, a SACK block.
     */
    record Send(
            int flow, boolean fromServer, SegmentKind kind, int length, int offset, int window, int variant, Fate fate)
            implements ChainStep {

        static Send draw(Source random) {
            return new Send(
                    random.between(0, ChainMachine.FLOWS - 1),
                    random.bool(),
                    random.pick(SegmentKind.values()),
                    random.between(1, 3000),
                    random.bool()
                            ? random.between(-70_000, 70_000)
                            : random.pickInt(Integer.MIN_VALUE, 1 << 30, -(1 << 30)),
                    random.pickInt(0, 1, WINDOW, 65535),
                    random.between(0, 3),
                    Fate.values()[random.weighted(18, 1, 1)]);
        }

        @Override
        public void applyTo(ChainMachine m) {
            m.send(this);
        }

        /** How far an out-of-window segment's number is moved; offset 0 stands for 2^30. */
        int distance() {
            return switch (kind) {
                case OUT_OF_WINDOW_SEQ -> offset == 0 ? 1 << 30 : offset;
                case OUT_OF_WINDOW_ACK -> offset == 0 ? -(1 << 30) : offset;
                case SYN, SYN_NEW_ISN, SYNACK, ACK, DATA, FIN, RST, RSTACK, RETRANSMISSION, BAD_FLAGS -> 0;
            };
        }

        /** How far a SYN_NEW_ISN moves its sender's ISN. */
        int isnStep() {
            return 1 + offset * 7919;
        }

        @Override
        public List<List<ChainStep>> simpler() {
            List<List<ChainStep>> s = new ArrayList<>();
            if (fate != Fate.ACCEPTED) {
                s.add(List.of(new Send(flow, fromServer, kind, length, offset, window, variant, Fate.ACCEPTED)));
            }
            if (flow != 0) {
                s.add(List.of(new Send(0, fromServer, kind, length, offset, window, variant, fate)));
            }
            if (fromServer) {
                s.add(List.of(new Send(flow, false, kind, length, offset, window, variant, fate)));
            }
            if (kind.carriesData()) {
                for (int l : towards(length, 1)) {
                    s.add(List.of(new Send(flow, fromServer, kind, l, offset, window, variant, fate)));
                }
            }
            if (kind.usesOffset()) {
                for (int o : towards(offset, 0)) {
                    s.add(List.of(new Send(flow, fromServer, kind, length, o, window, variant, fate)));
                }
            }
            if (window != WINDOW) {
                s.add(List.of(new Send(flow, fromServer, kind, length, offset, WINDOW, variant, fate)));
            }
            if (kind.usesVariant() && variant != 0) {
                s.add(List.of(new Send(flow, fromServer, kind, length, offset, window, 0, fate)));
            }
            return s;
        }

        @Override
        public String toString() {
            StringBuilder b =
                    new StringBuilder("flow " + flow + (fromServer ? " server->client " : " client->server "));
            b.append(kind);
            if (kind.carriesData()) {
                b.append(" len ").append(length);
            }
            switch (kind) {
                case SYN_NEW_ISN -> b.append(" isn ").append(signed(isnStep()));
                case OUT_OF_WINDOW_SEQ -> b.append(" seq ").append(signed(distance()));
                case OUT_OF_WINDOW_ACK -> b.append(" ack ").append(signed(distance()));
                case BAD_FLAGS -> b.append(" flags ").append(ChainEndpoints.badFlags(offset));
                case SYN, SYNACK, ACK, DATA, FIN, RST, RSTACK, RETRANSMISSION -> {}
            }
            b.append(" win ").append(window);
            if (kind.usesVariant()) {
                b.append(" variant ").append(variant);
            }
            return b.append(fate == Fate.ACCEPTED ? "" : " " + fate).toString();
        }
    }

    /** A {@link Conversation} on one flow, started by the client or (roles swapped) the server. */
    record Converse(Conversation conversation, int flow, boolean swapped, int length, int variant)
            implements ChainStep {

        static Converse draw(Source random, Conversation c) {
            return new Converse(
                    c,
                    random.between(0, ChainMachine.FLOWS - 1),
                    random.oneIn(10),
                    random.between(1, 1460),
                    random.between(0, 3));
        }

        /** The conversation's segments, as separate steps. */
        List<Send> sends() {
            List<Send> s = new ArrayList<>(conversation.segments());
            for (int i = 0; i < conversation.segments(); i++) {
                boolean fromServer = conversation.fromResponder(i) ^ swapped;
                s.add(new Send(flow, fromServer, conversation.kind(i), length, 0, WINDOW, variant, Fate.ACCEPTED));
            }
            return s;
        }

        @Override
        public void applyTo(ChainMachine m) {
            for (Send s : sends()) {
                m.send(s);
            }
        }

        @Override
        public List<List<ChainStep>> simpler() {
            List<List<ChainStep>> s = new ArrayList<>();
            if (flow != 0) {
                s.add(List.of(new Converse(conversation, 0, swapped, length, variant)));
            }
            if (swapped) {
                s.add(List.of(new Converse(conversation, flow, false, length, variant)));
            }
            if (carriesData()) {
                for (int l : towards(length, 1)) {
                    s.add(List.of(new Converse(conversation, flow, swapped, l, variant)));
                }
            }
            if (variant != 0) {
                s.add(List.of(new Converse(conversation, flow, swapped, length, 0)));
            }
            for (int left = 0; left < conversation.segments(); left++) {
                List<ChainStep> parts = new ArrayList<>(sends());
                parts.remove(left);
                s.add(parts);
            }
            return s;
        }

        private boolean carriesData() {
            for (int i = 0; i < conversation.segments(); i++) {
                if (conversation.kind(i).carriesData()) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public String toString() {
            return conversation + " flow " + flow + (swapped ? " (server first)" : "")
                    + (carriesData() ? " len " + length : "") + " variant " + variant;
        }
    }

    /** The clock moves on by {@code nanos}. */
    record Advance(long nanos) implements ChainStep {

        @Override
        public void applyTo(ChainMachine m) {
            m.advance(nanos);
        }

        @Override
        public List<List<ChainStep>> simpler() {
            List<List<ChainStep>> s = new ArrayList<>();
            for (long jump : JUMPS) {
                if (jump < nanos) {
                    s.add(List.of(new Advance(jump)));
                }
            }
            return s;
        }

        @Override
        public String toString() {
            long ms = nanos / 1_000_000;
            return "clock +" + (ms < 1000 ? ms + " ms" : ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms");
        }
    }

    /** {@code conntrack -L}: lists the table, which reaps the entries that have expired. */
    record ListEntries() implements ChainStep {

        @Override
        public void applyTo(ChainMachine m) {
            m.list();
        }

        @Override
        public List<List<ChainStep>> simpler() {
            return List.of();
        }

        @Override
        public String toString() {
            return "conntrack -L (reaps expired entries)";
        }
    }

    private static String signed(int n) {
        return n < 0 ? Integer.toString(n) : "+" + n;
    }

    /** Values between {@code value} and {@code target}, nearest the target first: the target, then halfway. */
    private static List<Integer> towards(int value, int target) {
        if (value == target) {
            return List.of();
        }
        int half = (int) (((long) value + target) / 2);
        return half == target || half == value ? List.of(target) : List.of(target, half);
    }
}
