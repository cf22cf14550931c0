package io.kpsim.report;

import java.util.List;

/**
 * One numbered packet of the reset story, as the 2019 Kubernetes blog post numbers them: what
 * happened in one sentence, the facts that explain it (kernel words, sequence numbers, RFC
 * rules), and the hops the packet took with what each hop did.
 *
 * @param number 1 to 5
 * @param timeNanos simulated time of the step's first hop
 * @param title one sentence
 * @param facts explanation lines
 * @param hops one line per hop, see {@link HopText}
 */
public record StoryStep(int number, long timeNanos, String title, List<String> facts, List<String> hops) {

    /** Copies the lists. */
    public StoryStep {
        facts = List.copyOf(facts);
        hops = List.copyOf(hops);
    }
}
