package io.kpsim.fault;

/**
 * A problem the user can fix, as opposed to a kpsim bug: bad input (an option value, a scenario, a
 * capture file, rules text) or an environment that refuses what was asked (a full disk, a
 * read-only or locked directory, a missing library).
 *
 * <p>The message is one line (several for a scenario's list of problems) that names the thing
 * that is wrong and where: a file with its line and column or record index, an option, a path.
 * The CLI prints it without a stack trace and exits 2. Code that reads input converts the
 * {@code IllegalArgumentException} of a low-level parser ({@code Ip4.parse}, {@code Sysctls.with})
 * into a {@code UserFault} at the call that handed it the user's text; anything not converted is,
 * by construction, an internal error (exit 3).
 *
 * <p>Subclasses say which input: {@code CaptureException} (pcap files), {@code ScenarioException}
 * (scenario YAML), {@code ClusterSpecException} (a cluster the model refuses to build),
 * {@code IptablesTextException} (iptables-save text).
 */
public class UserFault extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** A problem described in one line. */
    public UserFault(String message) {
        super(message);
    }

    /** A problem described in one line, keeping its cause (printed with {@code KPSIM_DEBUG=1}). */
    public UserFault(String message, Throwable cause) {
        super(message, cause);
    }
}
