package io.kpsim.scenario;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Collects every {@link Problem} of one load and knows where each YAML node came from: the file
 * (SnakeYAML's 0-based start mark, reported 1-based) or a {@code --set} override (reported by the
 * override's text). Binding never stops at a problem; it reports here and carries on.
 */
final class Diagnostics implements YamlText.SyntaxErrors {

    private final String source;
    private final Map<Node, String> overrideOf = new IdentityHashMap<>();
    private final List<Problem> problems = new ArrayList<>();

    Diagnostics(String source) {
        this.source = source;
    }

    /** Reports {@code message} at {@code node}'s position. */
    void error(Node node, String message) {
        String override = overrideOf.get(node);
        if (override != null) {
            problems.add(new Problem(override, 0, 0, message));
            return;
        }
        Mark mark = node == null ? null : node.getStartMark();
        if (mark == null) {
            problems.add(new Problem(source, 0, 0, message));
        } else {
            problems.add(new Problem(source, mark.getLine() + 1, mark.getColumn() + 1, message));
        }
    }

    /** Reports {@code message} at a SnakeYAML mark (syntax errors). */
    void error(Mark mark, String message) {
        problems.add(new Problem(source, mark.getLine() + 1, mark.getColumn() + 1, message));
    }

    /**
     * Reports a YAML syntax error at its mark, or as a problem of the whole file when SnakeYAML gives
     * none. (This class takes them itself rather than through a lambda: each lambda is a call site
     * linked at its first use in every run, src/docs/benchmarks.md, "Start-up", session 11.)
     */
    @Override
    public void syntax(Mark mark, String message) {
        if (mark == null) {
            fileError(message);
        } else {
            error(mark, message);
        }
    }

    /** Reports a problem of the file as a whole (cannot be read, is empty). */
    void fileError(String message) {
        problems.add(new Problem(source, 0, 0, message));
    }

    /** Reports a problem of one {@code --set} argument as a whole. */
    void overrideError(String override, String message) {
        problems.add(new Problem(override, 0, 0, message));
    }

    /** Records that {@code root} and everything under it was written by {@code override}. */
    void markOverride(Node root, String override) {
        if (overrideOf.put(root, override) != null) {
            return; // already marked: an alias seen twice, or a recursive alias
        }
        if (root instanceof MappingNode) {
            for (NodeTuple tuple : ((MappingNode) root).getValue()) {
                markOverride(tuple.getKeyNode(), override);
                markOverride(tuple.getValueNode(), override);
            }
        } else if (root instanceof SequenceNode) {
            for (Node item : ((SequenceNode) root).getValue()) {
                markOverride(item, override);
            }
        }
    }

    /** The file name as given, used for messages about the whole file. */
    String source() {
        return source;
    }

    boolean hasErrors() {
        return !problems.isEmpty();
    }

    /** The problems in report order: unpositioned first (in the order found), then by position. */
    List<Problem> sorted() {
        List<Problem> sorted = new ArrayList<>(problems);
        sorted.sort(Problem.BY_POSITION);
        return sorted;
    }
}
