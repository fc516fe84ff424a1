package io.roomkit.spring.test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A {@code redis-server} of a test's own on a free port, which the test may kill and start again on the same
 * port (the shared Redis on 6379 is never touched). Nothing is kept on disk, so a restarted server is empty, as
 * the machine's own Redis is.
 */
public final class PrivateRedis implements AutoCloseable {

    private static final String REDIS_SERVER = "/usr/bin/redis-server";

    private final Path dir;
    private final int port;
    private Process process;

    private PrivateRedis(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** Starts one, logging into {@code dir}; skips the test (fails under CI) without {@code redis-server}. */
    public static PrivateRedis start(Path dir) throws IOException, InterruptedException {
        TestServices.requireExecutable("redis-server", REDIS_SERVER);
        PrivateRedis redis = new PrivateRedis(dir, freePort());
        redis.restart();
        return redis;
    }

    public int port() {
        return port;
    }

    /** Kills the server (SIGKILL, as a crash) and waits until it is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("redis-server on port " + port + " did not die");
        }
    }

    /** Starts the server (again) on the same port and returns once it accepts connections. */
    public void restart() throws IOException, InterruptedException {
        process = new ProcessBuilder(REDIS_SERVER, "--port", String.valueOf(port), "--bind", "127.0.0.1", "--save",
                "", "--appendonly", "no", "--dir", dir.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                return;
            }
            catch (IOException notYet) {
                process.waitFor(50, TimeUnit.MILLISECONDS);
            }
        }
        throw new IllegalStateException("redis-server did not start on port " + port);
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
