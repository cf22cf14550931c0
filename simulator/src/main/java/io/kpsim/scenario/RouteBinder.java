package io.kpsim.scenario;

import io.kpsim.cluster.NodeRoute;
import io.kpsim.cluster.NodeSpec;
import io.kpsim.packet.Cidr;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Binds {@code spec.nodes[].routes}: {@code - {to: CIDR, via: NODE, link: NAME}}, a route on top of
 * the CNI's (or replacing its route for the same prefix). Bound once every node is known, since a
 * route may name a node declared after it; {@code link} names a second link ({@code spec.links[]}
 * with a {@code name}), checked by {@link #checkLinks} once the links are bound.
 */
final class RouteBinder {

    static final List<String> KEYS = List.of("to", "via", "link");

    private final Diagnostics diagnostics;
    private final Values values;
    /** Per route that names a link: its node, next hop, link name and where it was written. */
    private final List<LinkUse> linkUses = new ArrayList<>();

    private record LinkUse(String node, String via, String link, Node at, String path) {}

    RouteBinder(Diagnostics diagnostics, Values values) {
        this.diagnostics = diagnostics;
        this.values = values;
    }

    /** The node's routes, or {@code null} after reporting. */
    List<NodeRoute> bind(NodeSpec node, Node routesNode, String path, TopologyBinder topology) {
        List<Node> items = values.sequence(routesNode, path);
        if (items == null) {
            return null;
        }
        List<NodeRoute> routes = new ArrayList<>();
        Map<Cidr, Node> seen = new HashMap<>();
        boolean ok = true;
        for (int i = 0; i < items.size(); i++) {
            String p = path + "[" + i + "]";
            Mapping m = Mapping.read(diagnostics, items.get(i), p, KEYS);
            if (m == null) {
                ok = false;
                continue;
            }
            Node toNode = m.required("to");
            Cidr to = toNode == null ? null : values.cidr(toNode, p + ".to");
            if (to != null && seen.containsKey(to)) {
                diagnostics.error(
                        toNode,
                        p + ".to: " + to + " is routed twice" + Values.firstAt(seen.get(to))
                                + " (expected one route per prefix)");
                to = null;
            } else if (to != null) {
                seen.put(to, toNode);
            }
            Node viaNode = m.required("via");
            String via = viaNode == null ? null : values.name(viaNode, p + ".via");
            if (via != null && topology.node(via, viaNode, p + ".via") == null) {
                via = null;
            } else if (via != null && via.equals(node.name())) {
                diagnostics.error(
                        viaNode,
                        p + ".via: '" + via + "' is this node itself (expected the next-hop node, another node)");
                via = null;
            }
            String link = "";
            if (m.has("link")) {
                link = values.name(m.get("link"), p + ".link");
            }
            if (to == null || via == null || link == null) {
                ok = false;
                continue;
            }
            if (!link.isEmpty()) {
                linkUses.add(new LinkUse(node.name(), via, link, m.get("link"), p + ".link"));
            }
            routes.add(new NodeRoute(to, via, link));
        }
        return ok ? routes : null;
    }

    /**
     * Reports every route whose {@code link} is not a named link between its node and next hop (a
     * link that was written but refused has had its own report).
     */
    void checkLinks(LinkBinder bound) {
        List<LinkSpec> links = bound.links();
        for (LinkUse u : linkUses) {
            boolean found = false;
            List<String> names = new ArrayList<>();
            for (LinkSpec l : links) {
                if (!l.name().isEmpty()) {
                    names.add(l.name());
                    found |= l.name().equals(u.link()) && l.joins(u.node(), u.via());
                }
            }
            boolean refused = bound.written(u.link())
                    && links.stream().noneMatch(l -> l.name().equals(u.link()));
            if (!found && !refused) {
                diagnostics.error(
                        u.at(),
                        u.path() + ": no link named '" + u.link() + "' joins " + u.node() + " and " + u.via()
                                + Suggestions.hint(u.link(), names)
                                + " (expected the name of a spec.links entry between them)");
            }
        }
    }
}
