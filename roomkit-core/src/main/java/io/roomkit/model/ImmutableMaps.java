package io.roomkit.model;

import java.util.AbstractMap;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Unmodifiable snapshots of the string-keyed maps that events and contents carry ({@code data},
 * {@code metadata}, content payloads). Unlike {@link Map#copyOf} they keep {@code null} values (JSON has them)
 * and the caller's iteration order; unlike {@code Collections.unmodifiableMap(new LinkedHashMap<>(map))} they
 * do not copy a map that is already such a snapshot or one of the JDK's immutable {@code Map.of} maps, so an
 * event built from another event's map, or from {@code Map.of(...)}, costs no copy. A map that may still change
 * (any other map, including an unmodifiable <em>view</em> of a mutable one) is copied, so a caller who changes
 * its own map afterwards never changes an event. The copy is shallow: nested maps and lists are shared.
 */
public final class ImmutableMaps {

    /** The classes behind {@code Map.of(k, v)} and {@code Map.of()}, {@code Map.of(k1, v1, k2, v2, ...)}. */
    private static final Class<?> JDK_ONE_ENTRY = Map.of("k", "v").getClass();
    private static final Class<?> JDK_ENTRIES = Map.of("k1", "v", "k2", "v").getClass();

    private ImmutableMaps() {
    }

    /**
     * An unmodifiable map with the entries of {@code map} (an empty map for {@code null}): {@code map} itself if
     * it cannot change, else a copy.
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> copyOf(Map<String, ?> map) {
        if (map == null || map.isEmpty()) {
            return Map.of();
        }
        if (isImmutable(map)) {
            return (Map<String, Object>) map;
        }
        return new Snapshot(map);
    }

    /** Whether {@code map} is known never to change: a snapshot of this class or a JDK {@code Map.of} map. */
    public static boolean isImmutable(Map<?, ?> map) {
        Class<?> type = map.getClass();
        return type == Snapshot.class || type == JDK_ONE_ENTRY || type == JDK_ENTRIES;
    }

    /** A private copy behind an unmodifiable view; this class is the proof that nobody else can change it. */
    private static final class Snapshot extends AbstractMap<String, Object> {

        private final Map<String, Object> entries;

        Snapshot(Map<String, ?> source) {
            this.entries = Collections.unmodifiableMap(new LinkedHashMap<>(source));
        }

        @Override
        public int size() {
            return entries.size();
        }

        @Override
        public boolean isEmpty() {
            return entries.isEmpty();
        }

        @Override
        public boolean containsKey(Object key) {
            return entries.containsKey(key);
        }

        @Override
        public boolean containsValue(Object value) {
            return entries.containsValue(value);
        }

        @Override
        public Object get(Object key) {
            return entries.get(key);
        }

        @Override
        public Object getOrDefault(Object key, Object defaultValue) {
            return entries.getOrDefault(key, defaultValue);
        }

        @Override
        public Set<String> keySet() {
            return entries.keySet();
        }

        @Override
        public Collection<Object> values() {
            return entries.values();
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            return entries.entrySet();
        }

        @Override
        public void forEach(BiConsumer<? super String, ? super Object> action) {
            entries.forEach(action);
        }

        @Override
        public boolean equals(Object other) {
            return other == this || entries.equals(other);
        }

        @Override
        public int hashCode() {
            return entries.hashCode();
        }

        @Override
        public String toString() {
            return entries.toString();
        }
    }
}
