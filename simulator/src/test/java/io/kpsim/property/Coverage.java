package io.kpsim.property;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How many chains of a run reached each label ({@link StatefulSpec#reached}), against the share
 * the test requires. A property whose chains stop reaching a path (a generator change that never
 * fills the table any more) still passes its invariants; this is what fails it instead.
 *
 * <p>Checked only on runs of at least {@value #MIN_CHAINS} chains: below that a share is too noisy
 * to hold a test to, and a replayed seed is one chain.
 */
final class Coverage {

    static final int MIN_CHAINS = 100;

    /** Label to the minimum percentage of chains that must reach it, in the order reports list them. */
    private final Map<String, Integer> required;

    private final Map<String, Integer> counts = new LinkedHashMap<>();
    private int chains;

    Coverage(Map<String, Integer> required) {
        this.required = new LinkedHashMap<>(required);
        for (String label : required.keySet()) {
            counts.put(label, 0);
        }
    }

    /** Counts one passing chain that reached {@code labels}. */
    void count(Set<String> labels) {
        chains++;
        for (String label : labels) {
            counts.merge(label, 1, Integer::sum);
        }
    }

    int chains() {
        return chains;
    }

    /** The chains that reached {@code label}. */
    int count(String label) {
        return counts.getOrDefault(label, 0);
    }

    /** Each label seen or required, to the number of chains that reached it. */
    Map<String, Integer> counts() {
        return new LinkedHashMap<>(counts);
    }

    /** One line per required label below its share, empty when every share is met. */
    List<String> shortfalls() {
        List<String> missing = new ArrayList<>();
        if (chains < MIN_CHAINS) {
            return missing;
        }
        for (Map.Entry<String, Integer> r : required.entrySet()) {
            int count = count(r.getKey());
            if (100L * count < (long) r.getValue() * chains) {
                missing.add(String.format(
                        "\"%s\" reached by %d of %d chains (%s), below the %d%% required",
                        r.getKey(), count, chains, percent(count), r.getValue()));
            }
        }
        return missing;
    }

    /** Every label seen or required, with its share: {@code established 91%, table full 12%}. */
    String describe() {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, Integer> c : counts.entrySet()) {
            parts.add(c.getKey() + " " + percent(c.getValue()));
        }
        return String.join(", ", parts);
    }

    private String percent(int count) {
        return chains == 0 ? "-" : Math.round(100.0 * count / chains) + "%";
    }
}
