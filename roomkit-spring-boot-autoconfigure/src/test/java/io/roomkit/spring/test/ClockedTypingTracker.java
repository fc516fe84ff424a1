package io.roomkit.spring.test;

import io.roomkit.RoomKit;
import io.roomkit.spring.boot.RoomKitProperties;
import io.roomkit.spring.presence.LocalTypingState;
import io.roomkit.spring.presence.TypingState;
import io.roomkit.spring.presence.TypingTracker;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@link TypingTracker} on the test's clock: time passes only when the test calls {@link #advance}, and starts
 * expire only when it calls {@link #sweep()}, so a test of renewals and expiry decides every instant itself
 * instead of sleeping. {@link #awaitStarts} tells when the node has handled the typing frames a client sent.
 */
public final class ClockedTypingTracker extends TypingTracker {

    private final AtomicLong now;
    private final Map<String, Semaphore> started = new ConcurrentHashMap<>();

    private ClockedTypingTracker(RoomKit kit, Duration timeout, TypingState state, AtomicLong now) {
        super(kit, timeout, state, now::get);
        this.now = now;
    }

    @Override
    public void start(String roomId, String userId) {
        super.start(roomId, userId);
        startsOf(roomId, userId).release();
    }

    /** Moves this tracker's clock forward. */
    public void advance(Duration by) {
        now.addAndGet(by.toNanos());
    }

    /**
     * Waits until the tracker has handled {@code count} typing starts (renewals included) of the user in the room
     * beyond those already waited for.
     */
    public void awaitStarts(String roomId, String userId, int count) throws InterruptedException {
        assertThat(startsOf(roomId, userId).tryAcquire(count, 10, TimeUnit.SECONDS))
                .as("%d typing starts of %s in %s handled", count, userId, roomId).isTrue();
    }

    private Semaphore startsOf(String roomId, String userId) {
        return started.computeIfAbsent(roomId + '/' + userId, key -> new Semaphore(0));
    }

    /** Replaces the auto-configured tracker, with the configured timeout and typing state. */
    @TestConfiguration(proxyBeanMethods = false)
    public static class Config {

        @Bean
        ClockedTypingTracker clockedTypingTracker(RoomKit kit, RoomKitProperties properties,
                ObjectProvider<TypingState> state) {
            return new ClockedTypingTracker(kit, properties.typing().timeout(),
                    state.getIfAvailable(LocalTypingState::new), new AtomicLong(1_000_000_000L));
        }
    }
}
