package io.kpsim.report.html;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What became of every connection and forged packet of a run, with the connections counted per
 * endpoint pod (the pod the SYN reached after DNAT): what the text report, the JSON summary and
 * the HTML page all list, from one {@link OutcomeRecorder}, so the three agree.
 *
 * @param connections every connection, in the order the SYNs were sent
 * @param injections the forged packets followed one by one, in the order they were written
 * @param injectionsNotFollowed forged packets counted but not followed (beyond {@link InjectionBook#KEEP})
 * @param endpoints connections per endpoint pod, in pod-name order
 */
public record Outcomes(
        List<ConnectionOutcome> connections,
        List<InjectionOutcome> injections,
        long injectionsNotFollowed,
        List<EndpointTally> endpoints) {

    /** Copies the lists. */
    public Outcomes {
        connections = List.copyOf(connections);
        injections = List.copyOf(injections);
        endpoints = List.copyOf(endpoints);
    }

    static Outcomes of(ConnectionBook book, InjectionBook injections) {
        List<ConnectionOutcome> all = new ArrayList<>(book.all().size());
        for (ConnectionBook.Conn conn : book.all()) {
            all.add(conn.toOutcome());
        }
        List<InjectionOutcome> followed = injections.outcomes();
        return new Outcomes(all, followed, injections.total - followed.size(), tally(all));
    }

    /** The connections a socket ended by accepting a RST, in the order they were opened. */
    public List<ConnectionOutcome> resets() {
        List<ConnectionOutcome> list = new ArrayList<>();
        for (ConnectionOutcome o : connections) {
            if (o.outcome() == Outcome.RESET) {
                list.add(o);
            }
        }
        return list;
    }

    /** Connections per endpoint pod, in pod-name order. */
    static List<EndpointTally> tally(List<ConnectionOutcome> outcomes) {
        Map<String, long[]> counts = new TreeMap<>();
        Map<String, Address> addresses = new TreeMap<>();
        for (ConnectionOutcome o : outcomes) {
            if (o.endpointPod() == null) {
                continue;
            }
            long[] c = counts.computeIfAbsent(o.endpointPod(), k -> new long[4]);
            addresses.putIfAbsent(o.endpointPod(), o.endpoint());
            c[0]++;
            switch (o.outcome()) {
                case CLOSED -> c[1]++;
                case RESET -> c[2]++;
                case OPEN, NOT_ESTABLISHED -> c[3]++;
            }
        }
        List<EndpointTally> list = new ArrayList<>();
        counts.forEach((pod, c) -> list.add(new EndpointTally(pod, addresses.get(pod), c[0], c[1], c[2], c[3])));
        return list;
    }
}
