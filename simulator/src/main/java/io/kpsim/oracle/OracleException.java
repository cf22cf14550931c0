package io.kpsim.oracle;

import io.kpsim.fault.UserFault;

/**
 * The kernel oracle could not do its job on this machine: an environment fault, which the user
 * fixes on the machine, not in kpsim. Root, a tool, a kernel module or a kernel version is
 * missing; a command ({@code ip netns}, {@code iptables-restore}, {@code conntrack -F}) failed or
 * did not finish in time; a namespace, socket or capture handle could not be opened; the running
 * kernel cannot be set up as asked (a host-wide sysctl); or the node gave no readable verdict
 * within the timeout (an overloaded machine, another ruleset interfering). The message is one line
 * naming what failed; the CLI prints it and exits 2.
 *
 * <p>Not for kpsim's own mistakes: a ctnetlink answer the lookup cannot parse, or a record the
 * capture reader should have skipped, is an {@link IllegalStateException}, an internal error (exit
 * 3), since the machine did nothing wrong.
 */
public final class OracleException extends UserFault {

    private static final long serialVersionUID = 1L;

    /** A failure described in one line. */
    public OracleException(String message) {
        super(message);
    }

    /** A failure described in one line, keeping its cause for debugging. */
    public OracleException(String message, Throwable cause) {
        super(message, cause);
    }
}
