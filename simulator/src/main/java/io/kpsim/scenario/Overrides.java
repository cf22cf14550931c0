package io.kpsim.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * {@code --set key.path=value} overrides, applied to the YAML tree before binding, in the style of
 * {@code helm --set}: {@code spec.kernel=6.18}, {@code spec.links[0].loss=0.01},
 * {@code spec.sysctls.net.netfilter.nf_conntrack_tcp_be_liberal=1} (under {@code spec.sysctls} the
 * rest of the path is one sysctl name, dots and all). The value is read as YAML, so
 * {@code [node-a,node-b]} is a list and {@code true} a boolean.
 *
 * <p>Missing mappings along the path are created; list items must exist. Keys are not checked
 * here: the nodes an override writes are marked as coming from it, and binding reports an unknown
 * key or a bad value as {@code --set spec.foo=1: unknown key 'foo' under spec (did you mean ...)}.
 */
final class Overrides {

    private static final Pattern SEGMENT = Pattern.compile("([^.\\[\\]]+)((?:\\[\\d+\\])*)");
    private static final Pattern INDEX = Pattern.compile("\\[(\\d+)\\]");
    private static final String SYSCTLS = "spec.sysctls";
    private static final String EXPECTED = "expected KEY.PATH=VALUE with keys separated by '.' and list items as [N],"
            + " e.g. spec.links[0].loss=0.01";

    private Overrides() {}

    /** Applies every override in order to {@code root}, reporting bad ones to {@code diagnostics}. */
    static void apply(Node root, List<String> overrides, Diagnostics diagnostics) {
        for (String override : overrides) {
            apply(root, override, diagnostics);
        }
    }

    private static void apply(Node root, String override, Diagnostics diagnostics) {
        String label = "--set " + override;
        int eq = override.indexOf('=');
        if (eq <= 0) {
            diagnostics.overrideError(label, "no '=' after the key (" + EXPECTED + ")");
            return;
        }
        List<Step> steps = parsePath(override.substring(0, eq));
        if (steps == null) {
            diagnostics.overrideError(label, "bad key path '" + override.substring(0, eq) + "' (" + EXPECTED + ")");
            return;
        }
        Node value = composeValue(override.substring(eq + 1), label, diagnostics);
        if (value == null) {
            return;
        }
        diagnostics.markOverride(value, label);
        Node current = root;
        String path = "";
        for (int s = 0; s < steps.size(); s++) {
            Step step = steps.get(s);
            boolean last = s == steps.size() - 1;
            if (!(current instanceof MappingNode)) {
                diagnostics.overrideError(
                        label,
                        "cannot set '" + step.key + "': " + (path.isEmpty() ? "the document" : path) + " is "
                                + Values.describe(current) + ", not a mapping");
                return;
            }
            String childPath = path.isEmpty() ? step.key : path + "." + step.key;
            MappingNode mapping = (MappingNode) current;
            int at = indexOf(mapping, step.key);
            if (last && step.indexes.isEmpty()) {
                NodeTuple tuple = new NodeTuple(
                        at >= 0 ? mapping.getValue().get(at).getKeyNode() : createdKey(step.key, label, diagnostics),
                        value);
                if (at >= 0) {
                    mapping.getValue().set(at, tuple);
                } else {
                    mapping.getValue().add(tuple);
                }
                return;
            }
            if (at < 0) {
                if (!step.indexes.isEmpty()) {
                    diagnostics.overrideError(
                            label, childPath + " does not exist, so it has no item [" + step.indexes.get(0) + "]");
                    return;
                }
                MappingNode created = new MappingNode(Tag.MAP, new ArrayList<>(), DumperOptions.FlowStyle.BLOCK);
                diagnostics.markOverride(created, label);
                mapping.getValue().add(new NodeTuple(createdKey(step.key, label, diagnostics), created));
                current = created;
            } else {
                current = mapping.getValue().get(at).getValueNode();
            }
            path = childPath;
            for (int i = 0; i < step.indexes.size(); i++) {
                int index = step.indexes.get(i);
                if (!(current instanceof SequenceNode)) {
                    diagnostics.overrideError(
                            label,
                            path + " is " + Values.describe(current) + ", not a list, so it has no item [" + index
                                    + "]");
                    return;
                }
                List<Node> items = ((SequenceNode) current).getValue();
                if (index >= items.size()) {
                    diagnostics.overrideError(
                            label,
                            path + "[" + index + "] does not exist (" + path + " has " + items.size()
                                    + (items.size() == 1 ? " item" : " items") + ")");
                    return;
                }
                path = path + "[" + index + "]";
                if (last && i == step.indexes.size() - 1) {
                    items.set(index, value);
                    return;
                }
                current = items.get(index);
            }
        }
    }

    private static Node composeValue(String text, String label, Diagnostics diagnostics) {
        String[] error = new String[1];
        Node value = YamlText.compose(text, (mark, message) -> error[0] = message);
        if (error[0] != null) {
            diagnostics.overrideError(label, "the value " + error[0].replace("invalid YAML: ", "is not valid YAML: "));
            return null;
        }
        if (value == null) {
            return new ScalarNode(Tag.STR, "", null, null, DumperOptions.ScalarStyle.PLAIN);
        }
        return value;
    }

    private static Node createdKey(String key, String label, Diagnostics diagnostics) {
        Node node = new ScalarNode(Tag.STR, key, null, null, DumperOptions.ScalarStyle.PLAIN);
        diagnostics.markOverride(node, label);
        return node;
    }

    private static int indexOf(MappingNode mapping, String key) {
        List<NodeTuple> tuples = mapping.getValue();
        for (int i = 0; i < tuples.size(); i++) {
            Node k = tuples.get(i).getKeyNode();
            if (k instanceof ScalarNode && ((ScalarNode) k).getValue().equals(key)) {
                return i;
            }
        }
        return -1;
    }

    /** The steps of {@code path}, or {@code null} when it is malformed. */
    static List<Step> parsePath(String path) {
        List<Step> steps = new ArrayList<>();
        String rest = path;
        String soFar = "";
        while (true) {
            if (soFar.equals(SYSCTLS) && !rest.isEmpty()) {
                steps.add(new Step(rest, List.of()));
                return steps;
            }
            int dot = rest.indexOf('.');
            String segment = dot < 0 ? rest : rest.substring(0, dot);
            Matcher m = SEGMENT.matcher(segment);
            if (!m.matches()) {
                return null;
            }
            List<Integer> indexes = new ArrayList<>();
            Matcher im = INDEX.matcher(m.group(2));
            while (im.find()) {
                try {
                    indexes.add(Integer.parseInt(im.group(1)));
                } catch (NumberFormatException e) {
                    return null;
                }
            }
            steps.add(new Step(m.group(1), indexes));
            soFar = soFar.isEmpty() ? segment : soFar + "." + segment;
            if (dot < 0) {
                return steps;
            }
            rest = rest.substring(dot + 1);
        }
    }

    /** One path segment: a mapping key, then zero or more list indexes. */
    record Step(String key, List<Integer> indexes) {}
}
