package io.kpsim.pcap;

import io.kpsim.fault.UserFault;

/**
 * A capture file that cannot be opened, read or written, or a capture directory that cannot be
 * used: a {@link UserFault}, so the CLI prints it as one line and exits 2. Unchecked, so it can
 * leave an iterator.
 *
 * <p>The message is one line that names the file and, for a bad record, its 0-based index, in the
 * words a user can act on: {@code x.pcap: no such file}, {@code x.txt: not a pcap or pcapng file},
 * {@code x.pcap: record 3 is truncated}, {@code x.pcap: unsupported link type 105 (IEEE802_11); ...}.
 * What libpcap said is kept in the message only when kpsim has no plainer words for it.
 */
public final class CaptureException extends UserFault {

    private static final long serialVersionUID = 1L;

    /** The record index the error refers to, or -1 for a file-level error. */
    private final long recordIndex;

    CaptureException(String message, long recordIndex) {
        super(message);
        this.recordIndex = recordIndex;
    }

    /** A problem with a whole file or directory, named in {@code message}. */
    public CaptureException(String message, Throwable cause) {
        this(message, -1, cause);
    }

    CaptureException(String message, long recordIndex, Throwable cause) {
        super(message, cause);
        this.recordIndex = recordIndex;
    }

    /** The 0-based index of the bad record, or -1 when the error is about the whole file. */
    public long recordIndex() {
        return recordIndex;
    }
}
