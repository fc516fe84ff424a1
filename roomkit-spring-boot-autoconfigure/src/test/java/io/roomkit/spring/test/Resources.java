package io.roomkit.spring.test;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What a test opened (servers, nodes, clients), closed in reverse order after it: a field annotated with JUnit's
 * {@code @AutoClose}, so that a test that fails half-way leaves nothing running.
 */
public final class Resources implements AutoCloseable {

    private final Deque<AutoCloseable> opened = new ArrayDeque<>();

    /** Remembers {@code resource} for closing and returns it. */
    public <T extends AutoCloseable> T add(T resource) {
        opened.push(resource);
        return resource;
    }

    @Override
    public void close() throws Exception {
        Exception first = null;
        while (!opened.isEmpty()) {
            try {
                opened.pop().close();
            }
            catch (Exception ex) {
                if (first == null) {
                    first = ex;
                }
                else {
                    first.addSuppressed(ex);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
