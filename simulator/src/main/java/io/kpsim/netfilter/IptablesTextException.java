package io.kpsim.netfilter;

import io.kpsim.fault.UserFault;

/**
 * {@code iptables-save} / {@code iptables-restore} text that kpsim cannot read, as
 * {@code iptables-restore} would refuse it: one line, {@code line N: what}, naming the word or
 * chain that is wrong. A {@link UserFault} when the text came from the user; kpsim's own generated
 * rules ({@link KubeProxyRules}) treat it as a bug instead.
 */
public final class IptablesTextException extends UserFault {

    private static final long serialVersionUID = 1L;

    /** The problem at one line of the text ({@code line N: ...}). */
    public IptablesTextException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The problem at one line of the text ({@code line N: ...}). */
    public IptablesTextException(String message) {
        super(message);
    }
}
