package io.kpsim.scenario;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * A YAML mapping checked against the keys its schema allows: unknown keys get a "did you mean"
 * hint, duplicate keys point at the first one, non-scalar keys are rejected, and required keys are
 * reported missing at the mapping's start. Keys keep document order.
 */
final class Mapping {

    private final Diagnostics diagnostics;
    private final Node node;
    private final String path;
    private final Map<String, Node> values = new LinkedHashMap<>();
    private final Map<String, Node> keys = new LinkedHashMap<>();
    private final Set<String> suggested = new HashSet<>();

    private Mapping(Diagnostics diagnostics, Node node, String path) {
        this.diagnostics = diagnostics;
        this.node = node;
        this.path = path;
    }

    /**
     * Reads {@code node} as a mapping allowed to hold {@code allowed} keys ({@code null}: any key),
     * or reports that it is not a mapping and returns {@code null}. A {@code null} node or an empty
     * value reads as an empty mapping.
     */
    static Mapping read(Diagnostics diagnostics, Node node, String path, List<String> allowed) {
        Mapping mapping = new Mapping(diagnostics, node, path);
        if (node == null || Values.isNull(node)) {
            return mapping;
        }
        Values.checkTag(diagnostics, node, path);
        if (!(node instanceof MappingNode)) {
            diagnostics.error(
                    node,
                    path + ": expected a mapping" + (allowed == null ? "" : " of " + String.join(", ", allowed))
                            + ", found " + Values.describe(node));
            return null;
        }
        for (NodeTuple tuple : ((MappingNode) node).getValue()) {
            Node keyNode = tuple.getKeyNode();
            if (!(keyNode instanceof ScalarNode)) {
                diagnostics.error(
                        keyNode, "a key under " + path + " must be a plain word, found " + Values.describe(keyNode));
                continue;
            }
            String key = ((ScalarNode) keyNode).getValue();
            Values.checkTag(diagnostics, keyNode, "key '" + key + "' under " + path);
            if (key.equals("<<")) {
                diagnostics.error(
                        keyNode,
                        "YAML merge keys ('<<') are not supported under " + path + " (expected the keys written out)");
                continue;
            }
            Node first = mapping.keys.get(key);
            if (first != null) {
                diagnostics.error(keyNode, "duplicate key '" + key + "' under " + path + Values.firstAt(first));
                continue;
            }
            mapping.keys.put(key, keyNode);
            if (allowed != null && !allowed.contains(key)) {
                diagnostics.error(keyNode, "unknown key '" + key + "' under " + path + Suggestions.hint(key, allowed));
                String closest = Suggestions.closest(key, allowed);
                if (closest != null) {
                    mapping.suggested.add(closest);
                }
                continue;
            }
            mapping.values.put(key, tuple.getValueNode());
        }
        return mapping;
    }

    /** The value of {@code key}, or {@code null} when absent. */
    Node get(String key) {
        return values.get(key);
    }

    /** Whether {@code key} is present. */
    boolean has(String key) {
        return values.containsKey(key);
    }

    /**
     * The value of {@code key}, or {@code null} after reporting it missing (unless a misspelt key
     * was already reported with {@code key} as its "did you mean": one mistake, one message).
     */
    Node required(String key) {
        Node value = values.get(key);
        if (value == null && !suggested.contains(key)) {
            diagnostics.error(node, "missing required key '" + key + "' under " + path);
        }
        return value;
    }

    /** The key node of {@code key} (for messages about the key itself), or the mapping. */
    Node keyNode(String key) {
        Node k = keys.get(key);
        return k == null ? node : k;
    }

    /** Every present, allowed key with its value, in document order. */
    List<Map.Entry<String, Node>> entries() {
        return new ArrayList<>(values.entrySet());
    }

    /** {@code path.key}, for messages about a child. */
    String path(String key) {
        return path + "." + key;
    }

    /** The mapping's own path. */
    String path() {
        return path;
    }

    /** The mapping node (for messages about the whole mapping). */
    Node node() {
        return node;
    }
}
