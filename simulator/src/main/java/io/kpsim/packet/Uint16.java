package io.kpsim.packet;

/**
 * Range checks for 16-bit header fields: TCP and UDP ports as they appear on the wire (RFC 9293
 * §3.1, RFC 768), ICMP identifiers and sequence numbers (RFC 792). Any value 0..65535 is a valid
 * field: a capture may carry port 0 and the kernel tracks it like any other. Which ports an
 * application can listen on or connect to is {@link Ports}'s rule.
 */
final class Uint16 {

    private Uint16() {}

    static void check(int value, String what) {
        if (value < 0 || value > 0xffff) {
            throw new IllegalArgumentException(what + " " + value + " is not in 0..65535");
        }
    }
}
