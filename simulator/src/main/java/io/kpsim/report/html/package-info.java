/**
 * The pictures of a run, as one self-contained HTML page: a ladder (sequence) diagram of the
 * connection around the reset, with a lane per pod and per node's netfilter, conntrack's verdict
 * and the NAT rewrite on every node hop and the story's five steps numbered; a tcptrace-style
 * window plot of the reset connection with the bound the INVALID packet crossed; the outcome of
 * every connection and forged packet; the counters; and, optionally, the same packet under each
 * fix side by side.
 *
 * <p>Three layers, kept apart so each can change alone:
 * <ul>
 *   <li>Facts: {@link io.kpsim.report.html.LadderRecorder}, a trace listener keeping a fixed-size
 *       ring of events, one small record per connection and the connection around the interesting
 *       packet, told which packet that is by the text story's
 *       {@link io.kpsim.report.RunObserver}. Conntrack entries come from a
 *       {@link io.kpsim.report.html.ConntrackWitness} (none in today's trace).</li>
 *   <li>Model: records ({@link io.kpsim.report.html.Page}, {@link io.kpsim.report.html.Ladder},
 *       {@link io.kpsim.report.html.Arrow}, {@link io.kpsim.report.html.WindowPlot}, ...) holding
 *       numbers and the kernel's words, built by {@link io.kpsim.report.html.PageBuilder}.</li>
 *   <li>Drawing: {@link io.kpsim.report.html.LadderSvg}, {@link io.kpsim.report.html.PlotSvg} and
 *       {@link io.kpsim.report.html.HtmlPage}, with the stylesheets and script as resources.</li>
 * </ul>
 */
package io.kpsim.report.html;
