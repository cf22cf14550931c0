package io.kpsim.cluster;

import io.kpsim.conntrack.CtState;

/**
 * A {@link TraceListener} that takes a node's netfilter hook steps ({@link TracePoint#NODE_HOOK})
 * as their parts instead of as {@link TraceEvent}s. Hook steps are most of a narrated run's events
 * (conntrack, NAT and every rule a packet reaches, at every node it crosses), and most listeners
 * either ignore them or keep them only in case a story asks for the path later; given the parts,
 * such a listener makes no event for a step it does not keep, and the model allocates none when
 * every listener is of this kind. Listeners that are not get one shared event, as before.
 *
 * <p>The parts are what a hook step's event carries: its {@code where} is the node's name, its
 * {@code ctState} is set for conntrack's own step, and {@code step}'s {@code toString()} gives its
 * {@code detail} (a netfilter {@code TraceStep}, immutable; its words are made only when read).
 * {@link TraceEvent#hookStep} makes the event from them when a listener keeps one.
 */
public interface HookStepListener extends TraceListener {

    /**
     * A packet crossed one step of a node's hooks; called where {@link #onEvent} would be, in the
     * same order with the run's other events.
     *
     * @param timeNanos simulated time
     * @param packetId the packet's id
     * @param node the node's name
     * @param ctState the packet's ctstate for conntrack's step, else {@code null}
     * @param step the step; its {@code toString()} is the event's detail
     */
    void onHookStep(long timeNanos, long packetId, String node, CtState ctState, Object step);
}
