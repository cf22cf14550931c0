package io.kpsim.report;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Which capture a {@code --pcap} run writes an event of one kind of trace point to (a pod's veth, a
 * node's before-nat or after-nat), by the event's {@code where}: found by the identity of the name
 * string, which the model gives from the pod's, link's or node's own field, so a record costs a
 * short scan instead of two hash lookups (the capture's name, then its writer). In the session-7
 * profile of a 1,000-download {@code --quiet --pcap} run those lookups were 8% of the main thread
 * (src/docs/benchmarks.md, section 8, "Session 8"). A name seen as another string instance, or
 * beyond the first {@value #SCANNED} names, is found through a map by its text.
 */
final class CaptureRoutes {

    /** Where one {@code where} goes: the capture's file name, and its index or -1 for none. */
    record Route(String file, int capture) {}

    /** Names kept for the scan: a cluster of two nodes has two pods and four links. */
    static final int SCANNED = 16;

    private final Function<String, Route> resolve;
    private final Map<String, Route> byName = new HashMap<>();
    private final String[] names = new String[SCANNED];
    private final Route[] routes = new Route[SCANNED];
    private int size;

    /** Routes found by {@code resolve} the first time each name is seen. */
    CaptureRoutes(Function<String, Route> resolve) {
        this.resolve = resolve;
    }

    /** The route of events at {@code where}. */
    Route of(String where) {
        for (int i = 0; i < size; i++) {
            if (names[i] == where) {
                return routes[i];
            }
        }
        Route r = byName.computeIfAbsent(where, resolve);
        if (size < SCANNED) {
            names[size] = where;
            routes[size] = r;
            size++;
        }
        return r;
    }
}
