package io.kpsim.report.html;

/**
 * One column of the "compare fixes" view: the same scenario and seed with one fix (or none), the
 * small ladder of the same packet, and how the run ended.
 *
 * @param label e.g. "no fix", "be_liberal", "INVALID drop"
 * @param setting the setting that makes the difference, in the kernel's or kube-proxy's words
 * @param ladder the same packet and what followed it
 * @param outcome one line: resets and INVALID packets of that run
 * @param resets connections reset in that run
 */
public record FixVariant(String label, String setting, Ladder ladder, String outcome, long resets) {}
