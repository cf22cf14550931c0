package io.kpsim.scenario;

import io.kpsim.engine.Durations;
import io.kpsim.packet.Cidr;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.Ports;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Scalar conversions with positioned errors: each method reads one YAML node as a typed value,
 * reports what is wrong to {@link Diagnostics} and returns {@code null} on failure, so binding goes
 * on (to find the next problem) and cross-checks skip values that are already known bad.
 *
 * <p>Messages start with the key's path ({@code spec.links[0].loss: ...}) so they read well both
 * at a file position and for a {@code --set} override.
 */
final class Values {

    /** DNS-1123 label, as Kubernetes requires for pod, node, service and namespace names. */
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    /** DNS-1123 subdomain, as Kubernetes requires for most object names (dots allowed). */
    private static final Pattern DNS_SUBDOMAIN =
            Pattern.compile("(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    /** IANA service name, as Kubernetes requires for port names. */
    private static final Pattern PORT_NAME = Pattern.compile("(?=.*[a-z])[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?");

    /**
     * The tags YAML's core schema gives plain values by itself (YAML 1.1 resolver: strings, numbers,
     * booleans, null, timestamps, the merge key, mappings and lists). A value may carry one written
     * out ({@code !!str 10}); any other tag ({@code !foo}, {@code !!binary}, a global tag) is refused,
     * as kpsim reads values by their text and would otherwise silently drop what the tag asks for.
     */
    private static final Set<Tag> PLAIN_TAGS =
            Set.of(Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.NULL, Tag.TIMESTAMP, Tag.MERGE, Tag.MAP, Tag.SEQ);

    private final Diagnostics diagnostics;

    Values(Diagnostics diagnostics) {
        this.diagnostics = diagnostics;
    }

    /** Whether {@code node} is YAML's null ({@code ~}, {@code null} or nothing after the colon). */
    static boolean isNull(Node node) {
        return node instanceof ScalarNode && node.getTag().equals(Tag.NULL);
    }

    /** How a node looks, for "found ..." in messages. */
    static String describe(Node node) {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        if (isNull(node)) {
            return "an empty value";
        }
        return "'" + ((ScalarNode) node).getValue() + "'";
    }

    /** {@code " (first at line N)"} for duplicate messages, or {@code ""} when unknown. */
    static String firstAt(Node first) {
        Mark mark = first.getStartMark();
        return mark == null ? "" : " (first at line " + (mark.getLine() + 1) + ")";
    }

    /**
     * Reports a tag beyond the plain ones ({@link #PLAIN_TAGS}) at its node, as
     * {@code PATH: unknown YAML tag '!foo' ...}. The node is then read as if it had none, so one
     * stray tag gives one message and no follow-on problems.
     */
    static void checkTag(Diagnostics diagnostics, Node node, String path) {
        if (node == null || PLAIN_TAGS.contains(node.getTag())) {
            return;
        }
        String tag = node.getTag().getValue();
        String written = tag.startsWith(Tag.PREFIX) ? "!!" + tag.substring(Tag.PREFIX.length()) : tag;
        String quoted = node instanceof ScalarNode ? written + " " + ((ScalarNode) node).getValue() : written;
        diagnostics.error(
                node,
                path + ": unknown YAML tag '" + written + "' (expected a plain value without a tag; a value that"
                        + " starts with '!' must be quoted, e.g. \"" + quoted + "\")");
    }

    /** Any non-empty scalar as its text. */
    String text(Node node, String path) {
        checkTag(diagnostics, node, path);
        if (!(node instanceof ScalarNode) || isNull(node)) {
            diagnostics.error(node, path + ": expected a string, found " + describe(node));
            return null;
        }
        return ((ScalarNode) node).getValue();
    }

    /** A DNS-1123 label (lower-case letters, digits, '-'; at most 63). */
    String name(Node node, String path) {
        String text = text(node, path);
        if (text != null && !DNS_LABEL.matcher(text).matches()) {
            diagnostics.error(
                    node,
                    path + ": '" + text + "' is not a valid name (expected a DNS-1123 label: at most 63"
                            + " lower-case letters, digits and '-', starting and ending with a letter or digit)");
            return null;
        }
        return text;
    }

    /** A DNS-1123 subdomain (labels joined by dots; at most 253), as for a Kubernetes object name. */
    String objectName(Node node, String path) {
        String text = text(node, path);
        if (text != null && !DNS_SUBDOMAIN.matcher(text).matches()) {
            diagnostics.error(
                    node,
                    path + ": '" + text + "' is not a valid name (expected a DNS-1123 subdomain: at most"
                            + " 253 lower-case letters, digits, '-' and '.', e.g. boom-4.19)");
            return null;
        }
        return text;
    }

    /** An IANA service name as used for port names (at most 15 characters, one letter at least). */
    String portName(Node node, String path) {
        String text = text(node, path);
        if (text != null && !PORT_NAME.matcher(text).matches()) {
            diagnostics.error(
                    node,
                    path + ": '" + text + "' is not a valid port name (expected at most 15 lower-case"
                            + " letters, digits and '-', with at least one letter)");
            return null;
        }
        return text;
    }

    /** {@code true} or {@code false}. */
    Boolean bool(Node node, String path) {
        checkTag(diagnostics, node, path);
        if (node instanceof ScalarNode && node.getTag().equals(Tag.BOOL)) {
            String v = ((ScalarNode) node).getValue().toLowerCase(Locale.ROOT);
            return v.equals("true") || v.equals("yes") || v.equals("on") || v.equals("y");
        }
        diagnostics.error(node, path + ": expected true or false, found " + describe(node));
        return null;
    }

    /** An integer in {@code min..max}. */
    Long integer(Node node, String path, long min, long max) {
        String text = text(node, path);
        if (text == null) {
            return null;
        }
        long value;
        try {
            value = Long.parseLong(text.replace("_", ""));
        } catch (NumberFormatException e) {
            diagnostics.error(node, path + ": '" + text + "' is not an integer (expected " + min + ".." + max + ")");
            return null;
        }
        if (value < min || value > max) {
            diagnostics.error(node, path + ": " + value + " is out of range (expected " + min + ".." + max + ")");
            return null;
        }
        return value;
    }

    /** A TCP/UDP port of a service or server: {@link Ports}'s 1..65535. */
    Integer port(Node node, String path) {
        Long value = integer(node, path, Ports.MIN, Ports.MAX);
        return value == null ? null : value.intValue();
    }

    /** A duration in nanoseconds within {@code min..max} (see {@link Durations}). */
    Long duration(Node node, String path, long min, long max) {
        return unit(node, path, Unit.DURATION, min, max);
    }

    /** A size in bytes within {@code min..max} (see {@link Sizes}). */
    Long size(Node node, String path, long min, long max) {
        return unit(node, path, Unit.SIZE, min, max);
    }

    /** A rate in bits per second within {@code min..max} (see {@link Rates}). */
    Long rate(Node node, String path, long min, long max) {
        return unit(node, path, Unit.RATE, min, max);
    }

    /** A probability in 0..1, written {@code 0.01} or {@code 1%}. */
    Double probability(Node node, String path) {
        String text = text(node, path);
        if (text == null) {
            return null;
        }
        String t = text.strip();
        boolean percent = t.endsWith("%");
        BigDecimal value;
        try {
            value = new BigDecimal(percent ? t.substring(0, t.length() - 1).strip() : t);
        } catch (NumberFormatException e) {
            diagnostics.error(node, path + ": '" + text + "' is not a probability (expected 0 to 1, e.g. 0.01 or 1%)");
            return null;
        }
        if (percent) {
            value = value.movePointLeft(2);
        }
        if (value.signum() < 0 || value.compareTo(BigDecimal.ONE) > 0) {
            diagnostics.error(node, path + ": " + text + " is out of range (expected 0 to 1, e.g. 0.01 or 1%)");
            return null;
        }
        return value.doubleValue();
    }

    /** A dotted-quad IPv4 address, packed. */
    Integer ip(Node node, String path) {
        String text = text(node, path);
        if (text == null) {
            return null;
        }
        try {
            return Ip4.parse(text.strip());
        } catch (IllegalArgumentException e) {
            diagnostics.error(node, path + ": " + e.getMessage());
            return null;
        }
    }

    /** An IPv4 prefix {@code a.b.c.d/n} with no host bits set. */
    Cidr cidr(Node node, String path) {
        String text = text(node, path);
        if (text == null) {
            return null;
        }
        if (text.indexOf('/') < 0) {
            diagnostics.error(
                    node, path + ": '" + text + "' has no prefix length (expected a CIDR like 10.244.1.0/24)");
            return null;
        }
        try {
            return Cidr.parse(text.strip());
        } catch (IllegalArgumentException e) {
            diagnostics.error(node, path + ": " + e.getMessage());
            return null;
        }
    }

    /** The items of a list; an absent or empty value is an empty list; {@code null} if not a list. */
    List<Node> sequence(Node node, String path) {
        if (node == null || isNull(node)) {
            return List.of();
        }
        checkTag(diagnostics, node, path);
        if (!(node instanceof SequenceNode)) {
            diagnostics.error(node, path + ": expected a list, found " + describe(node));
            return null;
        }
        return ((SequenceNode) node).getValue();
    }

    /** One word of {@code choices} (with a "did you mean" hint otherwise). */
    String choice(Node node, String path, List<String> choices) {
        String text = text(node, path);
        if (text != null && !choices.contains(text)) {
            diagnostics.error(node, path + ": unknown value '" + text + "'" + Suggestions.hint(text, choices));
            return null;
        }
        return text;
    }

    private Long unit(Node node, String path, Unit unit, long min, long max) {
        String text = text(node, path);
        if (text == null) {
            return null;
        }
        long value;
        try {
            value = unit.parse(text);
        } catch (IllegalArgumentException e) {
            diagnostics.error(node, path + ": " + e.getMessage());
            return null;
        }
        if (value < min || value > max) {
            String range = min == 0
                    ? "at most " + unit.format(max)
                    : min == 1
                            ? "more than 0 and at most " + unit.format(max)
                            : unit.format(min) + " to " + unit.format(max);
            diagnostics.error(node, path + ": " + text.strip() + " is out of range (expected " + range + ")");
            return null;
        }
        return value;
    }

    /**
     * The units {@link #unit} reads, each with its parser and its format. An enum rather than method
     * references: each reference is a call site linked at its first use in every run, about 0.2 ms
     * each while a run starts (src/docs/benchmarks.md, "Start-up", session 11).
     */
    private enum Unit {
        DURATION,
        SIZE,
        RATE;

        long parse(String text) {
            return switch (this) {
                case DURATION -> Durations.parse(text);
                case SIZE -> Sizes.parse(text);
                case RATE -> Rates.parse(text);
            };
        }

        String format(long value) {
            return switch (this) {
                case DURATION -> Durations.format(value);
                case SIZE -> Sizes.format(value);
                case RATE -> Rates.format(value);
            };
        }
    }
}
