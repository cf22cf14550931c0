package io.kpsim.report.html;

import java.util.List;

/**
 * A numbered step of the story in words, as the text report tells it.
 *
 * @param number 1 to 5
 * @param timeNanos when it starts
 * @param title one sentence
 * @param facts the lines that explain it
 */
public record StoryText(int number, long timeNanos, String title, List<String> facts) {

    /** Copies the list. */
    public StoryText {
        facts = List.copyOf(facts);
    }
}
