package io.kpsim.pcap;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * libpcap's {@code pcap_next_ex(3PCAP)} as a JNA <em>direct mapping</em>: a {@code static native}
 * method bound once to the library pcap4j loads, with primitive arguments only.
 *
 * <p>Why: pcap4j reads records with {@code pcap_dispatch()} and a JNA callback. A callback is an
 * upcall from C into Java, about 1 µs per record with the marshalling JNA does for it, and pcap4j
 * adds a {@code java.sql.Timestamp} and two {@code ThreadLocal} values per record. A direct-mapped
 * downcall with primitive arguments costs a JNI transition and JNA's native dispatch, about 80 ns
 * on the development machine, with no Java-side marshalling, so the reader pulls each record
 * instead: {@link #pcap_next_ex} leaves pointers to the record's {@code struct pcap_pkthdr} and
 * bytes in out-parameters, and {@link RecordCursor} copies them out. The class initializer binds
 * the method, so a library without it fails there ({@code UnsatisfiedLinkError}).
 *
 * <p>Pointers are passed as {@code long}, which is right only where a pointer is 64 bits wide;
 * {@link RecordCursor} checks {@link Native#POINTER_SIZE} before calling. Everything used here and
 * in {@link RecordCursor} ({@code Native.register(Class, NativeLibrary)},
 * {@code Pointer.nativeValue(Pointer, long)}, {@code Pointer.read} into primitive arrays) is in
 * JNA 5.3.1, the version pcap4j 1.8.2 is built against.
 */
final class PcapNextEx {

    /** {@code pcap_next_ex()}: a record was read. */
    static final int RECORD = 1;
    /** {@code pcap_next_ex()}: no packet before the timeout (live captures only, never for a savefile). */
    static final int TIMEOUT = 0;
    /** {@code pcap_next_ex()}: an error; {@code pcap_geterr()} says which. */
    static final int ERROR = -1;
    /** {@code PCAP_ERROR_BREAK}: the end of a savefile. */
    static final int END = -2;

    static {
        Native.register(PcapNextEx.class, NativeLibrary.getInstance(LibpcapErrors.libraryName()));
    }

    private PcapNextEx() {}

    /**
     * {@code int pcap_next_ex(pcap_t *p, struct pcap_pkthdr **pkt_header, const u_char **pkt_data)}.
     *
     * @param p the {@code pcap_t *}
     * @param pktHeader where libpcap stores the {@code struct pcap_pkthdr *} of the record
     * @param pktData where libpcap stores the {@code const u_char *} of the record's bytes; both
     *        stay valid until the next call on {@code p} or its close
     * @return {@link #RECORD}, {@link #END}, {@link #ERROR} (or {@link #TIMEOUT} on a live capture)
     */
    static native int pcap_next_ex(long p, long pktHeader, long pktData);
}
