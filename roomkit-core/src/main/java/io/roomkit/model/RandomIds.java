package io.roomkit.model;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Random identifiers for events, rooms and subscriptions: 32 lower-case hex characters, the digits of a version-4
 * UUID without its dashes.
 * <p>
 * Each thread draws from a {@link SecureRandom} of its own. {@link java.util.UUID#randomUUID()} shares one
 * {@code NativePRNG} behind a global lock; under load (thousands of typing events a second on two cores) the
 * threads publishing events queued on that lock for more than 10 ms at a time, which halved the STOMP throughput.
 */
public final class RandomIds {

    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(RandomIds::newRandom);
    private static final HexFormat HEX = HexFormat.of();

    private RandomIds() {
    }

    /** A new identifier: 32 lower-case hex characters, unguessable and unique for every practical purpose. */
    public static String next() {
        byte[] bytes = new byte[16];
        RANDOM.get().nextBytes(bytes);
        bytes[6] = (byte) ((bytes[6] & 0x0f) | 0x40); // version 4
        bytes[8] = (byte) ((bytes[8] & 0x3f) | 0x80); // IETF variant
        return HEX.formatHex(bytes);
    }

    private static SecureRandom newRandom() {
        try {
            return SecureRandom.getInstance("DRBG");
        }
        catch (NoSuchAlgorithmException ex) {
            return new SecureRandom();
        }
    }
}
