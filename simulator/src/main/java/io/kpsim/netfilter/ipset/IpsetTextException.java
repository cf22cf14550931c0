package io.kpsim.netfilter.ipset;

import io.kpsim.fault.UserFault;

/**
 * {@code ipset save} text kpsim cannot read, as {@code ipset restore} would refuse it: one line,
 * {@code SOURCE:N: what}, naming the set, type, option or element that is wrong.
 */
public final class IpsetTextException extends UserFault {

    private static final long serialVersionUID = 1L;

    /** The problem at one line of the text. */
    public IpsetTextException(String message, Throwable cause) {
        super(message, cause);
    }
}
