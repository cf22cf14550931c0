package io.kpsim.netfilter.nftables;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A set or map as a loaded node holds it, for lookups ({@code nft_lookup_eval()}): a hash of
 * single keys ({@code nft_set_hash}), the ranges of an interval set ({@code nft_set_rbtree}),
 * per-field ranges of a concatenation with ranges ({@code nft_set_pipapo}), and the elements rules
 * added ({@code nft_dynset}) with their expiry. An element whose expiry has passed is not found
 * ({@code nft_set_elem_expired()}).
 *
 * <p>Mutable (rules update dynamic sets); owned by one {@link NftEngine}.
 */
final class LiveSet {

    private static final long NANOS_PER_MILLI = 1_000_000L;

    private final NftSet declared;
    private final Map<Datum, SetElement> points = new HashMap<>();
    private final List<SetElement> ranges = new ArrayList<>();
    /** Elements rules added, with the time they expire (nanoseconds; Long.MAX_VALUE for never). */
    private final Map<Datum, Long> added = new LinkedHashMap<>();
    /** Expiry of elements read with {@code expires}, in nanoseconds from time zero. */
    private final Map<SetElement, Long> listedExpiry = new HashMap<>();

    LiveSet(NftSet declared) {
        this.declared = declared;
        for (SetElement e : declared.elements()) {
            if (e.isPoint()) {
                points.put(e.low(), e);
            } else {
                ranges.add(e);
            }
            if (e.expiresMillis() >= 0) {
                listedExpiry.put(e, e.expiresMillis() * NANOS_PER_MILLI);
            }
        }
    }

    /** The set as declared. */
    NftSet declared() {
        return declared;
    }

    /** The element {@code key} falls in at time {@code now}, or {@code null}. */
    SetElement lookup(Datum key, long now) {
        SetElement e = points.get(key);
        if (e != null && alive(e, now)) {
            return e;
        }
        for (SetElement r : ranges) {
            if (contains(r, key) && alive(r, now)) {
                return r;
            }
        }
        Long expiry = added.get(key);
        if (expiry != null && expiry > now) {
            return SetElement.of(key);
        }
        return null;
    }

    private boolean alive(SetElement e, long now) {
        Long expiry = listedExpiry.get(e);
        return expiry == null || expiry > now;
    }

    /** Whether {@code key} lies in each field's range of {@code e}. */
    private boolean contains(SetElement e, Datum key) {
        KeyType type = declared.key();
        List<DataType> fields = type.fields();
        if (fields.size() == 1) {
            DataType t = fields.get(0);
            return Keys.numericCompare(t, key, e.low()) >= 0 && Keys.numericCompare(t, key, e.high()) <= 0;
        }
        for (int i = 0; i < fields.size(); i++) {
            DataType t = fields.get(i);
            int off = type.offset(i);
            Datum k = key.slice(off, t.length());
            if (Keys.numericCompare(t, k, e.low().slice(off, t.length())) < 0
                    || Keys.numericCompare(t, k, e.high().slice(off, t.length())) > 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code nft_dynset_eval()}: adds {@code key} (or, for {@code update}, also restarts its
     * timeout) to expire {@code timeoutNanos} from {@code now} (never, when negative). Returns
     * false when the set is full ({@code NFT_BREAK}).
     */
    boolean add(Datum key, boolean update, long timeoutNanos, long now) {
        long expiry = timeoutNanos < 0 ? Long.MAX_VALUE : now + timeoutNanos;
        Long current = added.get(key);
        boolean present = (current != null && current > now) || lookupDeclared(key, now);
        if (present) {
            if (update && current != null) {
                added.put(key, expiry);
            }
            return true;
        }
        if (declared.size() > 0 && liveCount(now) >= declared.size()) {
            return false;
        }
        added.put(key, expiry);
        return true;
    }

    private boolean lookupDeclared(Datum key, long now) {
        SetElement e = points.get(key);
        return e != null && alive(e, now);
    }

    private long liveCount(long now) {
        long n = 0;
        for (SetElement e : declared.elements()) {
            if (alive(e, now)) {
                n++;
            }
        }
        for (long expiry : added.values()) {
            if (expiry > now) {
                n++;
            }
        }
        return n;
    }

    /** The elements added by rules that are alive at {@code now}, in the order they were first added. */
    List<SetElement> addedAlive(long now) {
        List<SetElement> out = new ArrayList<>();
        for (Map.Entry<Datum, Long> e : added.entrySet()) {
            if (e.getValue() > now) {
                long left = e.getValue() == Long.MAX_VALUE ? -1 : (e.getValue() - now) / NANOS_PER_MILLI;
                out.add(new SetElement(e.getKey(), e.getKey(), null, null, null, -1, left));
            }
        }
        return out;
    }
}
