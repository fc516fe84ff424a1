package io.roomkit.benchmarks;

/**
 * The due times of one client's sends, in order; appended by one sender at a time, read by any thread without a
 * lock. It grows by chunks, so that growing copies the table of chunks but never the due times.
 */
final class SendLog {

    private static final int CHUNK_BITS = 14;
    private static final int CHUNK = 1 << CHUNK_BITS;

    private long[][] chunks = new long[16][];
    private volatile int size;

    /** Logs the next send, due at {@code due}; returns its index. */
    synchronized int append(long due) {
        int index = size;
        int chunk = index >>> CHUNK_BITS;
        if (chunk >= chunks.length) {
            long[][] grown = new long[chunks.length * 2][];
            System.arraycopy(chunks, 0, grown, 0, chunks.length);
            chunks = grown;
        }
        if (chunks[chunk] == null) {
            chunks[chunk] = new long[CHUNK];
        }
        chunks[chunk][index & (CHUNK - 1)] = due;
        size = index + 1; // the volatile write publishes the entry to readers
        return index;
    }

    /** The due time of send {@code index}, or {@link Long#MIN_VALUE} if there is no such send. */
    long get(int index) {
        if (index >= size) {
            return Long.MIN_VALUE;
        }
        long[][] current = chunks;
        return current[index >>> CHUNK_BITS][index & (CHUNK - 1)];
    }
}
