/**
 * The HTML report's figures as standalone SVG files ({@code kpsim run --svg DIR}), for slides and
 * papers: the ladder, the window plot and the "compare fixes" ladders, each with its own
 * stylesheet. The figures themselves are drawn by {@code io.kpsim.report.html}; this package only
 * writes them as files.
 */
package io.kpsim.report.svg;
