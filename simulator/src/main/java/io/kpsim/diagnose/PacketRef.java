package io.kpsim.diagnose;

/**
 * One packet a finding cites.
 *
 * @param file the capture file as given
 * @param index the record's 0-based index in the file
 * @param timestamp the capture time as a decimal string with the capture's precision
 * @param role what the packet is in the story, e.g. {@code INVALID reply, forwarded without reverse NAT}
 */
public record PacketRef(String file, int index, String timestamp, String role) {

    /** {@code file#index}, as the text output cites packets. */
    public String ref() {
        return file + "#" + index;
    }
}
