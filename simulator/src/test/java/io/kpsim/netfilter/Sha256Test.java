package io.kpsim.netfilter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** kpsim's SHA-256 against FIPS 180-4's examples and the JDK's own, across block boundaries. */
class Sha256Test {

    private static String hex(String text) {
        return HexFormat.of().formatHex(Sha256.digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void fipsExamples() {
        // FIPS 180-4 examples (NIST CSRC "SHA256.pdf", one block and two blocks) and the empty message.
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", hex("abc"));
        assertEquals(
                "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
                hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"));
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", hex(""));
    }

    @Test
    void sameAsTheJdkOnEveryLengthAcrossBlocks() throws NoSuchAlgorithmException {
        SplittableRandom random = new SplittableRandom(1);
        MessageDigest jdk = MessageDigest.getInstance("SHA-256");
        for (int length = 0; length <= 300; length++) {
            for (int round = 0; round < 4; round++) {
                byte[] message = new byte[length];
                for (int i = 0; i < length; i++) {
                    message[i] = (byte) random.nextInt(256);
                }
                assertArrayEquals(jdk.digest(message), Sha256.digest(message), "length " + length);
            }
        }
    }
}
