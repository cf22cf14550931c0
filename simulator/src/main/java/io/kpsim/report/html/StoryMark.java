package io.kpsim.report.html;

/**
 * A numbered step of the reset story placed on the ladder: the number is drawn on the arrow where
 * that step happens.
 *
 * @param number 1 to 5, as the blog post and the text story number them
 * @param title the step's sentence, as the text story prints it
 * @param arrow the arrow the number is drawn on
 */
public record StoryMark(int number, String title, int arrow) {}
