package io.kpsim.cli;

import io.kpsim.diagnose.CaptureDiagnosis;
import io.kpsim.diagnose.DiagnosisText;
import io.kpsim.diagnose.Finding;
import io.kpsim.diagnose.FindingKind;
import io.kpsim.diagnose.PacketRef;
import io.kpsim.replay.NodeConfig;
import io.kpsim.replay.ReplayOptions;
import io.kpsim.replay.Replayer;
import io.kpsim.report.html.Counter;
import io.kpsim.report.html.Page;
import io.kpsim.report.html.PageBuilder;
import io.kpsim.report.html.ReplayTrace;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code kpsim diagnose --html FILE} and {@code --svg DIR}: the diagnosis drawn. The capture the
 * first INVALID-reply reset is in (else the first prevented reset's, else the first capture) is
 * replayed once more through the same node with a {@link ReplayTrace} listening, which turns its
 * packets into the ladder (client | node | server, named by the addresses the capture shows),
 * the window plot of the reset connection with conntrack's bounds, and the connections' outcomes.
 * The page's words and counters are the diagnosis's own, as its text prints them, so the two agree.
 */
final class DiagnosePictures {

    /** Findings the page lists in words (the one drawn first); the text output has all of them. */
    static final int LISTED_FINDINGS = 3;

    /** {@code --html FILE} and {@code --svg DIR}. */
    final PictureTargets targets = new PictureTargets();

    /** picocli takes a mixin declared programmatically as it is ({@link PictureTargets#mixin()}). */
    @Mixin(name = "targets")
    final CommandSpec targetsModel = targets.mixin();

    /** Whether any picture was asked for. */
    boolean wanted() {
        return targets.wanted();
    }

    /** Refuses targets that cannot be written, before any capture is read. */
    void check() {
        targets.check();
    }

    /**
     * Replays the capture the pictures are about and writes them.
     *
     * @return the files written
     * @throws UserError when a file cannot be written
     */
    List<Path> write(NodeConfig config, ReplayOptions options, List<Path> files, CaptureDiagnosis d) {
        return targets.write(page(config, options, files, d));
    }

    /** The page of the diagnosis: the pictures of one capture, the words and numbers of all. */
    static Page page(NodeConfig config, ReplayOptions options, List<Path> files, CaptureDiagnosis d) {
        Finding about = about(d);
        Path file = files.get(0);
        int segment = -1;
        int rst = -1;
        if (about != null) {
            PacketRef first = about.packets().get(0);
            for (Path f : files) {
                if (f.toString().equals(first.file())) {
                    file = f;
                }
            }
            segment = first.index();
            if (about.kind() == FindingKind.INVALID_REPLY_RESET
                    && about.packets().size() > 1) {
                rst = about.packets().get(1).index();
            }
        }
        ReplayTrace trace = new ReplayTrace(file.toString(), segment, rst);
        new Replayer(config, options).replay(file, file.toString(), trace, trace);
        List<Finding> shown = new ArrayList<>();
        if (about != null) {
            shown.add(about);
        }
        for (Finding f : d.findings()) {
            if (shown.size() < LISTED_FINDINGS && f != about) {
                shown.add(f);
            }
        }
        // the findings' lines exactly as the text prints them (without its verdict line, the page's headline)
        CaptureDiagnosis listed =
                new CaptureDiagnosis(d.files(), d.packets(), d.invalid(), d.connections(), d.disagreements(), shown);
        StringWriter text = new StringWriter();
        DiagnosisText.print(listed, new PrintWriter(text));
        List<String> reasons = new ArrayList<>();
        List<String> lines = text.toString().lines().toList();
        for (String line : lines.subList(1, lines.size())) {
            if (!line.isBlank()) {
                reasons.add(line.strip());
            }
        }
        if (d.findings().size() > shown.size()) {
            reasons.add("... and " + (d.findings().size() - shown.size())
                    + " more findings, each in the text output (kpsim diagnose without --html)");
        }
        return PageBuilder.replay(
                "kpsim diagnose " + String.join(" ", d.files()),
                "The capture " + file + " replayed through the node's rules and conntrack: each packet as the node"
                        + " received it, what conntrack and NAT did with it, and where the node sent it. Times count"
                        + " from the capture's first TCP packet.",
                settings(config, options, file),
                d.verdict(),
                reasons,
                counters(d),
                trace);
    }

    /** The finding the pictures are about: the first INVALID-reply reset, else the first prevented one. */
    static Finding about(CaptureDiagnosis d) {
        for (FindingKind kind : List.of(FindingKind.INVALID_REPLY_RESET, FindingKind.PREVENTED_RESET)) {
            for (Finding f : d.findings()) {
                if (f.kind() == kind && !f.packets().isEmpty()) {
                    return f;
                }
            }
        }
        return null;
    }

    private static String settings(NodeConfig config, ReplayOptions options, Path file) {
        String rules = options.saved() != null
                ? "the node's own rules"
                : "kube-proxy's rules for the services given, INVALID drop " + (config.dropInvalid() ? "on" : "off");
        return "kernel " + config.kernel().label() + ", nf_conntrack_tcp_be_liberal=" + (config.beLiberal() ? 1 : 0)
                + ", " + rules + ", capture " + file;
    }

    /** The diagnosis's numbers: those of its verdict line, then the findings by kind. */
    static List<Counter> counters(CaptureDiagnosis d) {
        List<Counter> list = new ArrayList<>();
        list.add(new Counter("packets", d.packets(), "packets the node received, replayed"));
        list.add(new Counter("invalid", d.invalid(), "packets conntrack marked INVALID"));
        list.add(new Counter("connections", d.connections(), "connections the captures show (conntrack entries)"));
        list.add(
                new Counter("disagreements", d.disagreements(), "packets the node's own copy shows handled otherwise"));
        for (FindingKind kind : FindingKind.values()) {
            list.add(new Counter(kind.word(), d.count(kind), meaning(kind)));
        }
        return list;
    }

    private static String meaning(FindingKind kind) {
        return switch (kind) {
            case INVALID_REPLY_RESET -> "resets caused by the conntrack INVALID-reply bug";
            case APPLICATION_RESET -> "resets sent by the connection's own ends";
            case CLOSED_PORT_RESET -> "resets answering a SYN (nothing listened)";
            case PREVENTED_RESET -> "connections whose INVALID replies the node dropped";
            case UNEXPLAINED_RESET -> "resets whose cause is not in the captures";
        };
    }
}
