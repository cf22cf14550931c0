package io.kpsim.pcap;

import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface;
import org.pcap4j.core.Pcaps;

/**
 * A live libpcap handle on one interface, for the kernel oracle: inject a whole frame
 * ({@code pcap_inject}) and poll for frames without blocking.
 *
 * <p>Why a separate type: the oracle must not import pcap4j (only this package does), and the
 * handles must be opened by a thread that has entered the right network namespace. libpcap's
 * {@code AF_PACKET} and {@code NETLINK_NETFILTER} sockets belong to the namespace of the thread
 * that created them and keep it afterwards, so the oracle opens handles on a namespace-bound
 * thread and then uses them from any thread.
 *
 * <p>Two kinds: an Ethernet device ({@link #openEthernet}), which sees only frames arriving from
 * the wire ({@code PCAP_D_IN}, so never its own injections), and the netfilter log
 * ({@link #openNflog}, libpcap's {@code nflog:GROUP} device, link type {@code DLT_NFLOG}), which
 * receives what {@code nf_log_packet()} and the {@code NFLOG} target send to a log group.
 */
public final class LiveInterface implements AutoCloseable {

    /** {@code LINKTYPE_ETHERNET}. */
    public static final int LINKTYPE_ETHERNET = 1;
    /** {@code LINKTYPE_NFLOG}: a 4-byte nflog header followed by TLVs. */
    public static final int LINKTYPE_NFLOG = 239;

    private static final int SNAPLEN = 65535;
    private static final int BUFFER_BYTES = 4 << 20;

    private final String device;
    private final PcapHandle handle;
    /** {@code pcap_next_ex()} for an Ethernet device; {@code null} for the netfilter log. */
    private final RecordCursor cursor;

    private LiveInterface(String device, PcapHandle handle, boolean ethernet) {
        this.device = device;
        this.handle = handle;
        this.cursor = ethernet ? RecordCursor.on(handle) : null;
    }

    /**
     * Opens Ethernet device {@code device} in the calling thread's network namespace, in immediate
     * and non-blocking mode, capturing only incoming frames that match {@code bpfFilter}.
     *
     * @throws IllegalStateException one line when libpcap cannot open the device
     */
    public static LiveInterface openEthernet(String device, String bpfFilter) {
        PcapHandle handle = null;
        try {
            handle = new PcapHandle.Builder(device)
                    .snaplen(SNAPLEN)
                    .promiscuousMode(PcapNetworkInterface.PromiscuousMode.PROMISCUOUS)
                    .timeoutMillis(1)
                    .bufferSize(BUFFER_BYTES)
                    .immediateMode(true)
                    .build();
            if (handle.getDlt().value() != LINKTYPE_ETHERNET) {
                throw new IllegalStateException("pcap: " + device + " is not an Ethernet device (link type "
                        + handle.getDlt().value() + ")");
            }
            handle.setDirection(PcapHandle.PcapDirection.IN);
            handle.setFilter(bpfFilter, BpfProgram.BpfCompileMode.OPTIMIZE);
            handle.setBlockingMode(PcapHandle.BlockingMode.NONBLOCKING);
            return new LiveInterface(device, handle, true);
        } catch (PcapNativeException | NotOpenException e) {
            if (handle != null) {
                handle.close();
            }
            throw new IllegalStateException("pcap: cannot open " + device + ": " + oneLine(e), e);
        }
    }

    /**
     * Opens the netfilter log group {@code group} ({@code nflog:GROUP}) in the calling thread's
     * network namespace, non-blocking.
     *
     * @throws IllegalStateException one line when libpcap cannot bind the group
     */
    public static LiveInterface openNflog(int group) {
        String device = "nflog:" + group;
        PcapHandle handle = null;
        try {
            handle = new PcapHandle.Builder(device)
                    .snaplen(SNAPLEN)
                    .timeoutMillis(1)
                    .bufferSize(BUFFER_BYTES)
                    .build();
            if (handle.getDlt().value() != LINKTYPE_NFLOG) {
                throw new IllegalStateException(
                        "pcap: " + device + " has link type " + handle.getDlt().value() + ", expected NFLOG (239)");
            }
            handle.setBlockingMode(PcapHandle.BlockingMode.NONBLOCKING);
            return new LiveInterface(device, handle, false);
        } catch (PcapNativeException | NotOpenException e) {
            if (handle != null) {
                handle.close();
            }
            throw new IllegalStateException("pcap: cannot open " + device + ": " + oneLine(e), e);
        }
    }

    /**
     * The libpcap version string ({@code pcap_lib_version()}).
     *
     * @throws IllegalStateException one line when libpcap cannot be loaded
     */
    public static String libraryVersion() {
        try {
            return Pcaps.libVersion();
        } catch (LinkageError e) {
            throw new IllegalStateException("libpcap cannot be loaded: " + oneLine(e), e);
        }
    }

    /** The device name this handle was opened on. */
    public String device() {
        return device;
    }

    /** Sends one whole link-layer frame. */
    public void inject(byte[] frame) {
        try {
            handle.sendPacket(frame, frame.length);
        } catch (PcapNativeException | NotOpenException e) {
            throw new IllegalStateException("pcap: cannot inject on " + device + ": " + oneLine(e), e);
        }
    }

    /**
     * The next frame already received, or {@code null} when none is waiting.
     *
     * <p>An Ethernet device is read through {@code pcap_next_ex()} directly ({@link RecordCursor}),
     * as capture files are: pcap4j's {@code getNextRawPacket()} builds a JNA {@code Structure} by
     * reflection on every call, and the oracle polls several times per packet. The netfilter log
     * keeps pcap4j's call: libpcap reports its empty non-blocking socket ({@code EAGAIN}) as an
     * error, which {@code pcap_next()} turns into "no packet".
     *
     * @throws IllegalStateException one line when libpcap reports a read error on an Ethernet device
     */
    public byte[] poll() {
        if (!handle.isOpen()) {
            throw new IllegalStateException("pcap: " + device + " is closed");
        }
        if (cursor == null) {
            try {
                return handle.getNextRawPacket();
            } catch (NotOpenException e) {
                throw new IllegalStateException("pcap: " + device + " is closed", e);
            }
        }
        int status = cursor.next();
        if (status == PcapNextEx.RECORD) {
            return cursor.frame;
        }
        if (status == PcapNextEx.TIMEOUT) {
            return null;
        }
        String why;
        try {
            why = status == PcapNextEx.ERROR ? handle.getError() : "pcap_next_ex() returned " + status;
        } catch (NotOpenException e) {
            why = "closed while reading";
        }
        throw new IllegalStateException("pcap: cannot read from " + device + ": " + oneLine(why));
    }

    /** Discards every frame already received; returns how many there were. */
    public int drain() {
        int n = 0;
        while (poll() != null) {
            n++;
        }
        return n;
    }

    @Override
    public void close() {
        if (handle.isOpen()) {
            handle.close();
        }
    }

    private static String oneLine(Throwable e) {
        return oneLine(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }

    private static String oneLine(String m) {
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
