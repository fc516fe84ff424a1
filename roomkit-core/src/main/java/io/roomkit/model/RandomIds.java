package io.roomkit.model;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Identifiers for events, rooms and subscriptions: 32 lower-case hex characters, the digits of a version-7 UUID
 * (RFC 9562) without its dashes, so every place that accepted the former version-4 ids accepts these.
 *
 * <h2>Layout</h2>
 * <pre>
 *  48 bits  Unix time in milliseconds (the time the caller passes, normally the event's creation time)
 *   4 bits  version 7
 *  12 bits  sequence within the millisecond, per thread (RFC 9562 §6.2, method 1)
 *   2 bits  variant 10
 *  62 bits  random, from a cryptographically strong generator
 * </pre>
 *
 * <h2>What is promised</h2>
 * <ul>
 *   <li><b>Unique</b>: two ids can only be equal if they carry the same millisecond and sequence and the same
 *       62 random bits; among a million ids of one millisecond the chance of that is below 10<sup>-7</sup>.</li>
 *   <li><b>Strictly increasing within a thread</b>, as strings and as numbers (fixed width, lower-case hex):
 *       each id of a thread is greater than the thread's previous id, also when more than 4,096 ids are
 *       created in one millisecond (the time field then runs ahead of the clock by one millisecond per 4,096
 *       ids until the clock catches up) and when the wall clock steps back (the ids keep counting from the
 *       latest time seen).</li>
 *   <li><b>Ordered by millisecond across threads</b>: an id whose time is an earlier millisecond sorts before one
 *       of a later millisecond. Ids of different threads in the same millisecond are in no particular order, and
 *       a thread that ran ahead (above) or a clock step makes the embedded time differ from the creation time.
 *       Nothing should rely on ids for ordering across threads: events of a room are ordered by their index.</li>
 *   <li><b>Unguessable</b>: knowing every other id, an attacker still has to guess 62 bits from a CSPRNG, one
 *       chance in 4.6 &times; 10<sup>18</sup> per try. The time and sequence are not secret: an id reveals when
 *       its object was created. Ids are names, not bearer secrets; access is checked separately.</li>
 * </ul>
 *
 * <h2>Why this generator</h2>
 * The former version-4 ids drew 16 bytes per id from a {@code DRBG} {@link SecureRandom}. Each such call costs
 * about a microsecond whatever its size (the JDK's default DRBG, NIST SP 800-90A {@code Hash_DRBG} with SHA-256,
 * hashes its state on every call), more than delivering an event to ten subscribers; and its output costs a
 * SHA-256 compression per 32 bytes, which still showed in profiles when drawn in batches.
 * <p>
 * So each thread keeps a buffer of {@value Generator#BUFFER_BYTES} random bytes and takes 8 per id. The buffer is
 * refilled with the AES-256 counter-mode keystream of a fresh 256-bit key drawn from the thread's own
 * {@code DRBG}: AES_K(0) || AES_K(1) || ... for 256 blocks, then a new key. This is the generate step of
 * NIST SP 800-90A's {@code CTR_DRBG}, keyed by an approved DRBG: as long as AES-256 is a pseudorandom
 * permutation, the keystream of a secret key cannot be told from random bytes (256 blocks per key are far below
 * the 2<sup>64</sup>-block birthday bound), so every id's 62 bits are as unpredictable as DRBG output, and one
 * buffer reveals nothing about the next, whose key is new. AES runs on the CPU's AES instructions through the
 * JDK's {@code SunJCE} provider, so a refill costs about as much as one DRBG call; without AES the buffer is
 * filled by the DRBG itself. {@link java.util.concurrent.ThreadLocalRandom} or {@link java.util.SplittableRandom}
 * would be as fast but their output reveals their state, so later ids could be computed from earlier ones.
 * Buffered bytes are as secret as the DRBG's and the cipher's state, which live in the same memory. A generator
 * per thread keeps the threads from queueing on one lock (as they did on {@link java.util.UUID#randomUUID()}'s
 * shared {@code NativePRNG}).
 */
public final class RandomIds {

    /** The plaintext of the keystream, and its first counter block: each key is used for one buffer only. */
    private static final byte[] ZEROS = new byte[Generator.BUFFER_BYTES];
    private static final IvParameterSpec ZERO_COUNTER = new IvParameterSpec(new byte[16]);
    private static final ThreadLocal<Generator> GENERATOR = ThreadLocal.withInitial(Generator::new);
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    /** The two hex digits of every byte value, at {@code 2 * value} and {@code 2 * value + 1}. */
    private static final byte[] HEX_PAIRS = hexPairs();

    private RandomIds() {
    }

    /** A new identifier for an object created now; see the class comment for what it promises. */
    public static String next() {
        return next(System.currentTimeMillis());
    }

    /**
     * A new identifier whose time field is {@code epochMillis} (or the thread's latest time, if later): for an
     * object whose creation time the caller has just read from the clock, which saves reading it twice. Pass
     * only the current time: a time in the future would hold this thread's later ids at that time.
     */
    public static String next(long epochMillis) {
        return GENERATOR.get().next(epochMillis);
    }

    /** The Unix time in milliseconds that {@code id} carries, for ids of this class. */
    public static long epochMillis(String id) {
        return Long.parseUnsignedLong(id, 0, 12, 16);
    }

    /** One thread's random buffer and the last time field it used. */
    private static final class Generator {

        static final int BUFFER_BYTES = 4096;

        private final SecureRandom seeds = newRandom();
        /** AES-256 in counter mode, keyed afresh from {@link #seeds} for every buffer; {@code null} without AES. */
        private Cipher keystream = aesCtr();
        private final byte[] buffer = new byte[BUFFER_BYTES];
        private final byte[] text = new byte[32];
        private int position = BUFFER_BYTES;
        /** Milliseconds shifted left by 12 plus the sequence: both move together as one counter. */
        private long lastTime = Long.MIN_VALUE;

        String next(long epochMillis) {
            long time = Math.max(epochMillis << 12, lastTime + 1);
            lastTime = time;
            long high = (time >>> 12) << 16 | 0x7000L | (time & 0xfffL);
            long low = nextRandom() >>> 2 | 0x8000_0000_0000_0000L;
            hex(high, 0);
            hex(low, 16);
            return new String(text, StandardCharsets.ISO_8859_1);
        }

        private long nextRandom() {
            if (position == BUFFER_BYTES) {
                refill();
                position = 0;
            }
            long value = (long) LONGS.get(buffer, position);
            position += Long.BYTES;
            return value;
        }

        /**
         * The next {@value #BUFFER_BYTES} random bytes: the AES-CTR keystream of a 256-bit key drawn from the
         * DRBG (without AES, the DRBG's own output).
         */
        private void refill() {
            if (keystream != null) {
                byte[] key = new byte[32];
                seeds.nextBytes(key);
                try {
                    keystream.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), ZERO_COUNTER);
                    keystream.doFinal(ZEROS, 0, BUFFER_BYTES, buffer, 0);
                    return;
                }
                catch (GeneralSecurityException ex) {
                    keystream = null;
                }
                finally {
                    Arrays.fill(key, (byte) 0);
                }
            }
            seeds.nextBytes(buffer);
        }

        private void hex(long value, int offset) {
            for (int i = 14; i >= 0; i -= 2) {
                int pair = (int) (value & 0xff) << 1;
                text[offset + i] = HEX_PAIRS[pair];
                text[offset + i + 1] = HEX_PAIRS[pair + 1];
                value >>>= 8;
            }
        }
    }

    private static byte[] hexPairs() {
        byte[] digits = "0123456789abcdef".getBytes(StandardCharsets.ISO_8859_1);
        byte[] pairs = new byte[512];
        for (int value = 0; value < 256; value++) {
            pairs[2 * value] = digits[value >>> 4];
            pairs[2 * value + 1] = digits[value & 0xf];
        }
        return pairs;
    }

    private static Cipher aesCtr() {
        try {
            return Cipher.getInstance("AES/CTR/NoPadding");
        }
        catch (GeneralSecurityException ex) {
            return null;
        }
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
