package io.kpsim.pcap;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * Turns libpcap's error strings (as pcap4j passes them on) into kpsim's one-line messages.
 *
 * <p>The strings were taken from libpcap 1.10 ({@code sf-pcap.c}, {@code sf-pcapng.c},
 * {@code savefile.c}) by provoking each case: {@code "<path>: No such file or directory"},
 * {@code "unknown file format"}, {@code "truncated dump file; tried to read 4 file header bytes,
 * only got 0"}, {@code "truncated dump file; tried to read 60 captured bytes, only got 20"},
 * {@code "truncated pcapng dump file; ..."}, {@code "error reading dump file: Is a directory"}.
 */
final class LibpcapErrors {

    /**
     * pcap4j's property naming the library it loads (package name + {@code .pcapLibName}; default
     * {@code wpcap} on Windows, else {@code pcap}).
     */
    private static final String LIBRARY_PROPERTY = "org.pcap4j.core.pcapLibName";
    /** pcap4j's prefixes on errors from {@code pcap_next_ex()} and {@code pcap_dispatch()}. */
    private static final String[] PCAP4J_PREFIXES = {
        "Error occurred in pcap_next_ex():", "Error occurred:", "Unexpected error occurred:"
    };

    private LibpcapErrors() {}

    /** The name of the libpcap library pcap4j loads, for kpsim's own calls into the same library. */
    static String libraryName() {
        return System.getProperty(LIBRARY_PROPERTY, Platform.isWindows() ? "wpcap" : "pcap");
    }

    /** The message for a file that libpcap could not open. */
    static String openFailed(String name, String libpcapMessage) {
        String m = strip(name, libpcapMessage);
        if (isLibraryMissing(m)) {
            return libraryMissing(name); // pcap4j's words when a libpcap function is not there
        }
        if (m.contains("No such file")) {
            return name + ": no such file";
        }
        if (m.contains("Permission denied")) {
            return name + ": permission denied";
        }
        if (m.contains("Is a directory")) {
            return name + ": is a directory";
        }
        if (m.contains("unknown file format")) {
            return name + ": not a pcap or pcapng file";
        }
        if (m.contains("truncated") && m.contains("file header")) {
            return name + ": not a pcap or pcapng file (file header truncated)";
        }
        return name + ": cannot read (libpcap: " + m + ")";
    }

    /** The message for a record that libpcap could not read. */
    static String recordFailed(String name, long index, String libpcapMessage) {
        String m = strip(name, libpcapMessage);
        if (m.startsWith("truncated")) {
            return name + ": record " + index + " is truncated";
        }
        return name + ": record " + index + " is unreadable (libpcap: " + m + ")";
    }

    /** The message for libpcap missing from the machine, or too old, when {@code name} needed it. */
    static String libraryMissing(String name) {
        return name + ": " + unusable();
    }

    /**
     * Why libpcap cannot be used, with the package that provides it: not installed at all (JNA
     * finds no library of pcap4j's name), or older than 1.5, the first with the nanosecond
     * functions kpsim calls ({@code pcap_open_dead_with_tstamp_precision()},
     * {@code pcap_open_offline_with_tstamp_precision()}). pcap4j reports both the same way
     * ("... is not supported by the pcap library installed in this environment").
     */
    static String unusable() {
        try {
            NativeLibrary.getInstance(libraryName());
        } catch (UnsatisfiedLinkError e) {
            return "libpcap is not installed (no library '" + libraryName() + "' found); it is in the"
                    + " Debian/Ubuntu package libpcap0.8: apt-get install libpcap0.8";
        }
        return "the installed libpcap is older than 1.5 (it lacks the nanosecond capture functions kpsim"
                + " needs); install libpcap 1.5 or later, on Debian/Ubuntu: apt-get install libpcap0.8";
    }

    /** Whether pcap4j's message says a libpcap function is missing (libpcap absent or too old). */
    static boolean isLibraryMissing(String pcap4jMessage) {
        return pcap4jMessage != null && pcap4jMessage.contains("not supported by the pcap library");
    }

    private static String strip(String name, String message) {
        String m = message == null ? "unknown error" : message.trim();
        for (String prefix : PCAP4J_PREFIXES) {
            if (m.startsWith(prefix)) {
                m = m.substring(prefix.length()).trim();
            }
        }
        int newline = m.indexOf('\n');
        if (newline >= 0) {
            m = m.substring(0, newline);
        }
        return m;
    }

    /** libpcap's own name for a link type ({@code pcap_datalink_val_to_name()}), e.g. IEEE802_11. */
    static String linkTypeName(int dlt) {
        try {
            NativeLibrary pcap = NativeLibrary.getInstance(libraryName());
            Function toName = pcap.getFunction("pcap_datalink_val_to_name");
            String name = toName.invokeString(new Object[] {dlt}, false);
            return name == null ? "unknown" : name;
        } catch (UnsatisfiedLinkError e) {
            return "unknown";
        }
    }
}
