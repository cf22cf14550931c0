package io.kpsim.cluster;

/**
 * Words of a {@link TraceEvent} worked out only when somebody reads them. A narrated run emits
 * dozens of events per packet (every hook, link and socket step) and prints a handful: the
 * model hands over what the words are made of (a rule step, a NAT result, a socket's ports, a
 * delay) and the event formats them on first read. Implementations capture immutable values
 * only, so the words are the same whenever they are read.
 */
@FunctionalInterface
interface TraceText {

    /** The words, formatted now. */
    String text();
}
