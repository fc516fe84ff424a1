package io.roomkit.spring.test;

import io.roomkit.spring.boot.RoomKitHealthIndicator;
import org.junit.jupiter.api.Assertions;
import org.springframework.boot.health.contributor.Health;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * The services the machines that build this project run (PostgreSQL, Redis, RabbitMQ). A test that needs one
 * skips with the reason when it is not reachable, except under {@code CI=true}, where absence fails the test.
 */
public final class TestServices {

    public static final String POSTGRES_HOST = "127.0.0.1";
    public static final int POSTGRES_PORT = 5432;

    private TestServices() {
    }

    /** Skips (or, in CI, fails) unless PostgreSQL accepts connections on 127.0.0.1:5432. */
    public static void requirePostgres() {
        require("PostgreSQL", POSTGRES_HOST, POSTGRES_PORT);
    }

    /** Skips (or, in CI, fails) unless Redis accepts connections on 127.0.0.1:6379. */
    public static void requireRedis() {
        require("Redis", "127.0.0.1", 6379);
    }

    /** Skips (or, in CI, fails) unless RabbitMQ's STOMP plugin listens on 127.0.0.1:61613. */
    public static void requireRabbitStomp() {
        require("RabbitMQ STOMP (rabbitmq-plugins enable rabbitmq_stomp)", "127.0.0.1", 61613);
    }

    /** Skips (or, in CI, fails) unless {@code path} is an executable on this machine. */
    public static void requireExecutable(String what, String path) {
        if (new java.io.File(path).canExecute()) {
            return;
        }
        String reason = what + " is not installed at " + path;
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(reason + "; CI=true, so a missing service is a failure");
        }
        Assumptions.abort(reason);
    }

    /** Skips (or, in CI, fails) unless something listens on {@code host:port}. */
    public static void require(String service, String host, int port) {
        String problem = probe(host, port);
        if (problem == null) {
            return;
        }
        String reason = service + " is not reachable at " + host + ":" + port + " (" + problem + ")";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(reason + "; CI=true, so a missing service is a failure");
        }
        Assumptions.abort(reason + "; start it (see the README) to run this test");
    }

    private static String probe(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 1000);
            return null;
        }
        catch (IOException ex) {
            return ex.getMessage();
        }
    }

    /**
     * The indicator's answer, asked on another thread and waited for at most a minute: a health check that hung
     * on a dead service would otherwise hang the test instead of failing it.
     */
    public static Health healthWithin(RoomKitHealthIndicator health) throws Exception {
        return CompletableFuture.supplyAsync(health::health).get(60, TimeUnit.SECONDS);
    }
}
