package io.roomkit.pipeline;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/** One lock per key in use, dropped when no thread holds or waits for it. */
final class KeyedLocks {

    private final Map<String, Entry> locks = new ConcurrentHashMap<>();

    /** Runs {@code action} holding the lock of {@code key}; for store work only, never for application code. */
    <T> T withLock(String key, Supplier<T> action) {
        Entry entry = locks.compute(key, (k, existing) -> {
            Entry held = existing == null ? new Entry() : existing;
            held.users++;
            return held;
        });
        entry.lock.lock();
        try {
            return action.get();
        }
        finally {
            entry.lock.unlock();
            locks.computeIfPresent(key, (k, current) -> --current.users == 0 ? null : current);
        }
    }

    private static final class Entry {

        private final ReentrantLock lock = new ReentrantLock();
        private int users; // guarded by the map's compute
    }
}
