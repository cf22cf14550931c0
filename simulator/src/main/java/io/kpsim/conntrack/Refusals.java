package io.kpsim.conntrack;

import io.kpsim.conntrack.profile.Kernel;
import io.kpsim.conntrack.profile.Switch;

/**
 * What a packet conntrack refuses counts in {@code conntrack -S} and logs, by release: up to 4.19
 * the l4 {@code ->error()} callbacks ran before the lookup and counted {@code error} and
 * {@code invalid} ({@link Switch#L4_ERROR_AFTER_LOOKUP}); a refused ICMP error counts {@code error},
 * and {@code invalid} too up to 5.4 ({@link Switch#ICMP_ERROR_COUNTS_ERROR_ONLY}); the {@code ignore}
 * counter exists up to 5.4 ({@link Switch#IGNORE_COUNTER_REMOVED}). Read in {@code nf_conntrack_in()}
 * and the trackers' error functions of 4.19.255 and 6.18.2 ({@code nf_conntrack_core.c},
 * {@code nf_conntrack_proto_*.c}). One per {@link Conntrack}; the trackers report through it.
 */
final class Refusals {

    private final Counters counters;
    private final LoggedReason log;
    /** 5.0+: {@code tcp_error()} and {@code udp_error()} run after the lookup and count invalid only. */
    private final boolean l4ErrorAfterLookup;
    /** Up to 5.4: the {@code ignore} counter exists. */
    private final boolean ignoreCounter;
    /** Up to 5.4: a refused ICMP error counts {@code invalid} besides {@code error}. */
    private final boolean icmpErrorCountsInvalid;

    Refusals(Kernel kernel, Counters counters, LoggedReason log) {
        this.counters = counters;
        this.log = log;
        this.l4ErrorAfterLookup = kernel.has(Switch.L4_ERROR_AFTER_LOOKUP);
        this.ignoreCounter = !kernel.has(Switch.IGNORE_COUNTER_REMOVED);
        this.icmpErrorCountsInvalid = !kernel.has(Switch.ICMP_ERROR_COUNTS_ERROR_ONLY);
    }

    /**
     * Up to 4.19: an l4 {@code ->error()} callback ({@code tcp_error()}, {@code udp_error()}) refused
     * the packet before the lookup; counts {@code error} and {@code invalid} and logs it. {@code null}
     * passes.
     */
    boolean refusedBeforeLookup(CtReason error) {
        if (error == null) {
            return false;
        }
        counters.error++;
        counters.invalid++;
        log.log(error);
        return true;
    }

    /** 5.0+: the tracker's packet function refused it after the lookup; counts {@code invalid} only. */
    boolean refusedAfterLookup(CtReason error) {
        if (error == null) {
            return false;
        }
        counters.invalid++;
        log.log(error);
        return true;
    }

    /** Whether {@code tcp_error()}/{@code udp_error()} run after the lookup on this kernel. */
    boolean l4ErrorAfterLookup() {
        return l4ErrorAfterLookup;
    }

    /** Up to 5.4 the {@code ignore} counter counts a {@code NOTRACK}ed packet. */
    void untracked() {
        if (ignoreCounter) {
            counters.ignore++;
        }
    }

    /**
     * An ICMP error refused by {@code icmp_error()} / {@code nf_conntrack_handle_icmp()} (checksum,
     * type, nothing quoted, no matching conntrack, outer address): {@code error}, and up to 5.4
     * {@code invalid} too. Logs {@code reason} when there is one.
     */
    void icmpErrorRefused(CtReason reason) {
        icmpErrorRefused(reason, 0, 0);
    }

    /** {@link #icmpErrorRefused(CtReason)} with the reason's two arguments. */
    void icmpErrorRefused(CtReason reason, int a, int b) {
        counters.error++;
        if (icmpErrorCountsInvalid) {
            counters.invalid++;
        }
        if (reason != null) {
            log.log(reason, a, b, 0);
        }
    }

    /** Counts a packet left without a conntrack by a check outside the l4 error callbacks. */
    void refuse() {
        counters.invalid++;
    }

    /** Logs the table-full drop. */
    int tableFull() {
        log.log(CtReason.TABLE_FULL);
        return PackedResult.DROP;
    }
}
