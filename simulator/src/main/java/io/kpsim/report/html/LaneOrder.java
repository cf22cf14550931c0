package io.kpsim.report.html;

import io.kpsim.cluster.TraceEvent;
import io.kpsim.cluster.TracePoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Puts the lanes of a ladder in topology order, as the packets went: the client pod, its node,
 * the nodes in between, the server's node and the server pod (client | node-a | node-b | server
 * for the blog). Which node a pod hangs off is read from the trail: the node a pod's packet
 * reaches first, or the node that delivered a packet to it. Other pods (one that forges packets,
 * say) stand beside their node: left of the client's node, right of the others.
 */
final class LaneOrder {

    private LaneOrder() {}

    static List<Lane> of(List<Trail> trails, String clientPod, String serverPod) {
        Map<String, String> podNode = new LinkedHashMap<>();
        Set<String> nodes = new LinkedHashSet<>();
        Set<String> pods = new LinkedHashSet<>();
        for (Trail t : trails) {
            TraceEvent previous = null;
            for (TraceEvent e : t.events) {
                TracePoint p = e.point();
                if (p == TracePoint.NODE_ROUTE || p == TracePoint.NODE_DROP) {
                    nodes.add(e.where());
                    if (previous != null && isPod(previous.point())) {
                        podNode.putIfAbsent(previous.where(), e.where());
                    }
                } else if (p == TracePoint.POD_SEND || p == TracePoint.POD_INJECT) {
                    pods.add(e.where());
                } else if (p == TracePoint.POD_RECEIVE) {
                    pods.add(e.where());
                    if (previous != null && previous.point() == TracePoint.NODE_ROUTE) {
                        podNode.putIfAbsent(e.where(), previous.where());
                    }
                }
                if (p != TracePoint.SOCKET && p != TracePoint.LINK_LOSS && p != TracePoint.LINK_QUEUE_DROP) {
                    previous = e;
                }
            }
        }
        String clientNode = podNode.get(clientPod);
        String serverNode = serverPod == null ? null : podNode.get(serverPod);
        List<String> nodeOrder = new ArrayList<>();
        if (clientNode != null) {
            nodeOrder.add(clientNode);
        }
        for (String n : nodes) {
            if (!n.equals(clientNode) && !n.equals(serverNode)) {
                nodeOrder.add(n);
            }
        }
        if (serverNode != null && !serverNode.equals(clientNode)) {
            nodeOrder.add(serverNode);
        }
        List<Lane> lanes = new ArrayList<>();
        Set<String> placed = new LinkedHashSet<>();
        if (pods.contains(clientPod)) {
            lanes.add(pod(clientPod, clientNode));
            placed.add(clientPod);
        }
        for (int i = 0; i < nodeOrder.size(); i++) {
            String node = nodeOrder.get(i);
            List<String> here = new ArrayList<>();
            for (String pod : pods) {
                if (node.equals(podNode.get(pod)) && !pod.equals(clientPod) && !pod.equals(serverPod)) {
                    here.add(pod);
                }
            }
            if (i == 0 && nodeOrder.size() > 1) {
                here.forEach(p -> lanes.add(pod(p, node)));
                lanes.add(new Lane(node, LaneKind.NODE, node));
            } else {
                lanes.add(new Lane(node, LaneKind.NODE, node));
                here.forEach(p -> lanes.add(pod(p, node)));
            }
            placed.addAll(here);
        }
        if (serverPod != null && pods.contains(serverPod)) {
            lanes.add(pod(serverPod, serverNode));
            placed.add(serverPod);
        }
        for (String pod : pods) {
            if (!placed.contains(pod)) {
                lanes.add(pod(pod, podNode.get(pod)));
            }
        }
        return lanes;
    }

    private static boolean isPod(TracePoint p) {
        return p == TracePoint.POD_SEND || p == TracePoint.POD_INJECT;
    }

    private static Lane pod(String name, String node) {
        return new Lane(name, LaneKind.POD, node);
    }

    /** The index of the lane called {@code name}, or -1. */
    static int indexOf(List<Lane> lanes, String name) {
        for (int i = 0; i < lanes.size(); i++) {
            if (lanes.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }
}
