package io.kpsim.pcap;

import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import io.kpsim.fault.UserFault;
import java.lang.reflect.Method;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.EnumMap;
import java.util.Map;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.Pcaps;
import org.pcap4j.packet.namednumber.DataLinkType;

/**
 * A libpcap filter expression in tcpdump's syntax ({@code pcap-filter(7)}), as {@code kpsim replay
 * --filter} applies it: compiled by libpcap ({@code pcap_compile()} through pcap4j's
 * {@code Pcaps.compileFilter}) once per link type the capture holds, then run on each record in
 * Java ({@link BpfMachine}) over the same bytes {@code pcap_offline_filter()} would see.
 *
 * <p>The compiled instructions are copied out of pcap4j's {@code bpf_program} (its fields are
 * public JNA structure fields; the program itself is package-private in pcap4j 1.8.2 and read by
 * reflection, as {@link RecordCursor} reads the handle) and the native program is freed at once.
 * Not thread-safe: one reader.
 */
public final class CaptureFilter {

    /** {@code PCAP_NETMASK_UNKNOWN}: the expression's {@code broadcast} primitives are refused. */
    private static final byte[] NETMASK_UNKNOWN = {(byte) 255, (byte) 255, (byte) 255, (byte) 255};

    private static final int INSTRUCTION_BYTES = 8;

    private final String expression;
    private final Map<LinkType, BpfMachine> programs = new EnumMap<>(LinkType.class);

    private CaptureFilter(String expression) {
        this.expression = expression;
    }

    /**
     * Compiles {@code expression}, checking it against Ethernet framing at once so a typo is told
     * before any file is read.
     *
     * @throws UserFault one line naming the option and libpcap's complaint, or saying libpcap is missing
     */
    public static CaptureFilter compile(String expression) {
        CaptureFilter filter = new CaptureFilter(expression);
        filter.program(LinkType.ETHERNET);
        return filter;
    }

    /** The expression as given. */
    public String expression() {
        return expression;
    }

    /** Whether the record passes the filter (libpcap's {@code pcap_offline_filter()} answer). */
    public boolean accepts(CaptureRecord record) {
        byte[] frame = record.frame();
        return program(record.linkType()).run(frame, record.originalLength(), frame.length) != 0;
    }

    /** Instructions in the program compiled for {@code type}, for tests and the cost measurements. */
    int instructions(LinkType type) {
        return program(type).length();
    }

    private BpfMachine program(LinkType type) {
        BpfMachine machine = programs.get(type);
        if (machine == null) {
            machine = compileFor(type);
            programs.put(type, machine);
        }
        return machine;
    }

    private BpfMachine compileFor(LinkType type) {
        BpfProgram program;
        try {
            // pcap_open_dead() + pcap_compile(): the handle keeps libpcap's words for a bad expression
            PcapHandle dead = Pcaps.openDead(DataLinkType.getInstance(type.dlt()), PcapFileSource.MAXIMUM_SNAPLEN);
            try {
                program = dead.compileFilter(expression, BpfProgram.BpfCompileMode.OPTIMIZE, netmaskUnknown());
            } finally {
                dead.close();
            }
        } catch (NotOpenException e) {
            throw new IllegalStateException("a dead pcap handle closed under kpsim", e);
        } catch (PcapNativeException e) {
            String why = e.getMessage() == null
                    ? "rejected"
                    : e.getMessage().replaceAll("\\s+", " ").trim();
            if (LibpcapErrors.isLibraryMissing(why)) {
                throw new UserFault("--filter: " + LibpcapErrors.unusable());
            }
            throw new UserFault("--filter '" + expression + "': libpcap cannot compile it for " + type.description()
                    + " captures: " + why.replaceFirst("^Error occurred in pcap_compile\\(\\):? *", ""));
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw new UserFault("--filter: " + LibpcapErrors.unusable());
        }
        try {
            return copy(program);
        } finally {
            program.free();
        }
    }

    private static Inet4Address netmaskUnknown() {
        try {
            return (Inet4Address) InetAddress.getByAddress(NETMASK_UNKNOWN);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are an IPv4 address", e);
        }
    }

    /** Reads {@code bf_len} and the {@code struct bpf_insn} array out of pcap4j's program. */
    private static BpfMachine copy(BpfProgram program) {
        Structure compiled;
        try {
            Method get = BpfProgram.class.getDeclaredMethod("getProgram");
            get.setAccessible(true);
            compiled = (Structure) get.invoke(program);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException(
                    "cannot reach pcap4j's bpf_program (BpfProgram.getProgram: " + e + "); kpsim needs pcap4j 1.8.2",
                    e);
        }
        compiled.read(); // the fields as libpcap left them in native memory
        int length;
        Pointer instructions;
        try {
            length = compiled.getClass().getField("bf_len").getInt(compiled);
            Structure first =
                    (Structure) compiled.getClass().getField("bf_insns").get(compiled);
            instructions = first == null ? null : first.getPointer();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("pcap4j's bpf_program has no bf_len/bf_insns; kpsim needs pcap4j 1.8.2", e);
        }
        if (length <= 0 || instructions == null) {
            throw new IllegalStateException("libpcap compiled an empty program");
        }
        ByteBuffer raw = ByteBuffer.wrap(instructions.getByteArray(0, length * INSTRUCTION_BYTES))
                .order(ByteOrder.nativeOrder());
        short[] code = new short[length];
        byte[] jt = new byte[length];
        byte[] jf = new byte[length];
        int[] k = new int[length];
        for (int i = 0; i < length; i++) {
            int at = i * INSTRUCTION_BYTES;
            code[i] = raw.getShort(at);
            jt[i] = raw.get(at + 2);
            jf[i] = raw.get(at + 3);
            k[i] = raw.getInt(at + 4);
        }
        return new BpfMachine(code, jt, jf, k);
    }
}
