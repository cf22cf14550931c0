package io.kpsim.scenario;

import java.util.Collection;
import java.util.Locale;

/**
 * "Did you mean" hints for misspelt keys, names and enum words: the candidate with the smallest
 * Levenshtein distance (case-insensitive, so {@code clusterCidr} finds {@code clusterCIDR}), if it
 * is close enough to be a plausible typo. Ties go to the earliest candidate, so hints are
 * deterministic and follow the order the schema lists its keys.
 */
final class Suggestions {

    private Suggestions() {}

    /**
     * The hint for {@code word} among {@code candidates}: {@code " (did you mean 'x'?)"} when one is
     * close, else {@code " (expected one of: a, b, c)"}, or {@code ""} when there are no candidates.
     */
    static String hint(String word, Collection<String> candidates) {
        String best = closest(word, candidates);
        if (best != null) {
            return " (did you mean '" + best + "'?)";
        }
        if (candidates.isEmpty()) {
            return "";
        }
        return " (expected one of: " + String.join(", ", candidates) + ")";
    }

    /** The closest plausible candidate, or {@code null}. */
    static String closest(String word, Collection<String> candidates) {
        String lower = word.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int d = distance(lower, candidate.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        int allowed = Math.max(2, lower.length() / 3);
        return best != null && bestDistance <= allowed && bestDistance < lower.length() ? best : null;
    }

    /** Levenshtein distance (insert, delete, substitute, each cost 1). */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
