/**
 * The line between the user's problems and kpsim's own.
 *
 * <p>{@link io.kpsim.fault.UserFault} is the one exception type for something the user can fix: a
 * bad option value, scenario, capture or rules text, or an environment that refuses (a full disk,
 * a read-only directory, libpcap missing, a capture directory another run holds). Only code that
 * reads input or touches the environment throws it, with one line naming what and where; the CLI
 * prints that line and exits 2. Every other exception or error, wherever it comes from
 * ({@code IllegalArgumentException} and {@code IllegalStateException} from a model invariant
 * included), is an internal fault: a kpsim bug, reported as such with exit code 3.
 *
 * <p>The bottom of the package graph: it depends on nothing, and every package may use it.
 */
package io.kpsim.fault;
