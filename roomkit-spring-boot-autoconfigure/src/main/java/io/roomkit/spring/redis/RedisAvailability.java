package io.roomkit.spring.redis;

import io.roomkit.RoomKitException;
import io.roomkit.concurrent.DaemonThreads;
import io.roomkit.spring.support.Availability;
import io.roomkit.spring.support.BoundedCalls;
import io.roomkit.spring.support.Infrastructure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Whether this node's presence and typing state can use Redis now. Every Redis call is waited for at most the
 * timeout; the first that fails or is too slow marks Redis down, after which calls take their local answer at
 * once, without touching Redis. While it is down, a probe PINGs Redis every second on a thread of its own (one
 * probe at a time, however long the client takes to give up; never on a client's thread); when Redis answers,
 * the stores write this node's state into it again ({@link #onRecovery}) and Redis is used again.
 */
public final class RedisAvailability implements Availability, AutoCloseable {

    /** How often Redis is probed while it is down. */
    public static final Duration PROBE_PERIOD = Duration.ofSeconds(1);

    private static final Logger log = LoggerFactory.getLogger(RedisAvailability.class);

    private final StringRedisTemplate redis;
    private final BoundedCalls calls;
    private final ScheduledExecutorService prober;
    private final List<Runnable> recoveries = new CopyOnWriteArrayList<>();
    private volatile boolean available = true;
    private ScheduledFuture<?> probe;

    public RedisAvailability(StringRedisTemplate redis, Duration timeout) {
        this.redis = redis;
        this.calls = new BoundedCalls("roomkit-redis", timeout, 16);
        this.prober = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("roomkit-redis-probe-"));
    }

    @Override
    public String name() {
        return "redis";
    }

    @Override
    public boolean isAvailable() {
        return available;
    }

    /** Runs {@code recovery} (bounded by the timeout) each time Redis answers again after an outage. */
    public void onRecovery(Runnable recovery) {
        recoveries.add(recovery);
    }

    /** The answer of {@code remote} when Redis answers in time, else the answer of {@code local}. */
    public <T> T call(String what, Supplier<T> remote, Supplier<T> local) {
        if (!available) {
            return local.get();
        }
        try {
            return calls.call(what, remote);
        }
        catch (RuntimeException failed) {
            if (!(failed instanceof RoomKitException) && !Infrastructure.isUnreachable(failed)) {
                throw failed;
            }
            markDown(failed);
            return local.get();
        }
    }

    /** Runs {@code remote} when Redis answers in time; otherwise only marks it down. */
    public void run(String what, Runnable remote) {
        call(what, () -> {
            remote.run();
            return null;
        }, () -> null);
    }

    private synchronized void markDown(RuntimeException cause) {
        if (!available) {
            return;
        }
        available = false;
        log.warn("Redis is unreachable ({}): presence and typing state stay on this node until it answers again",
                cause.getMessage());
        probe = prober.scheduleWithFixedDelay(this::probe, PROBE_PERIOD.toMillis(), PROBE_PERIOD.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** On the probe thread, which may wait as long as the Redis client does: nobody else waits for it. */
    private void probe() {
        try {
            redis.execute(connection -> connection.ping(), true);
            recoveries.forEach(Runnable::run);
        }
        catch (RuntimeException stillDown) {
            log.debug("Redis still unreachable: {}", stillDown.toString());
            return;
        }
        synchronized (this) {
            available = true;
            if (probe != null) {
                probe.cancel(false);
                probe = null;
            }
        }
        log.info("Redis answers again: presence and typing state are shared through it again");
    }

    @Override
    public void close() {
        prober.shutdownNow();
        calls.close();
    }
}
