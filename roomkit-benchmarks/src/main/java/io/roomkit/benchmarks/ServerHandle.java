package io.roomkit.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** The server a load run talks to: in this JVM, in a process of its own, or already running at a URL. */
interface ServerHandle extends AutoCloseable {

    URI uri();

    /** What {@link #heapAfterGc()} measures, for the report. */
    String heapScope();

    /** Server heap in use after garbage collection, or -1 if it cannot be measured. */
    long heapAfterGc();

    /** STOMP sessions and subscriptions the server knows, or {@code null} if it cannot tell. */
    long[] subscriptions();

    @Override
    void close();

    static URI endpoint(int port) {
        return URI.create("ws://127.0.0.1:" + port + LoadServer.ENDPOINT);
    }

    /** A server in this JVM: its heap is the whole JVM's, clients included. */
    final class InProcess implements ServerHandle {

        private final LoadServer server;

        InProcess(LoadServer.Kind kind, String store) {
            this.server = LoadServer.start(kind, store, 0);
        }

        @Override
        public URI uri() {
            return endpoint(server.port());
        }

        @Override
        public String heapScope() {
            return "jvm (server and clients)";
        }

        @Override
        public long heapAfterGc() {
            return LoadServer.usedHeapAfterGc();
        }

        @Override
        public long[] subscriptions() {
            return server.subscriptions();
        }

        @Override
        public void close() {
            server.close();
        }
    }

    /** A server in a child JVM on this tool's class path, driven through its standard input. */
    final class Forked implements ServerHandle {

        private final Process process;
        private final Writer commands;
        private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
        private final int port;

        Forked(LoadServer.Kind kind, String store, String heap, long maxSeconds) throws IOException,
                InterruptedException {
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xms" + heap, "-Xmx" + heap,
                    "-cp", System.getProperty("java.class.path"), LoadServer.class.getName(), "--kind", kind.label(),
                    "--store", store, "--max-seconds", Long.toString(maxSeconds)));
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            Thread reader = new Thread(this::readReplies, "load-server-replies");
            reader.setDaemon(true);
            reader.start();
            String ready = reply("READY", 120);
            port = Integer.parseInt(ready.trim());
        }

        private void readReplies() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith(LoadServer.PREFIX)) {
                        replies.add(line.substring(LoadServer.PREFIX.length()));
                    }
                }
            }
            catch (IOException ex) {
                // the process ended
            }
            replies.add("EOF");
        }

        private String reply(String kind, long timeoutSeconds) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            while (true) {
                String line = replies.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null || line.equals("EOF")) {
                    throw new IllegalStateException("The load server did not answer " + kind + " (process "
                            + (process.isAlive() ? "alive" : "exited with " + process.exitValue()) + ")");
                }
                if (line.startsWith(kind + " ")) {
                    return line.substring(kind.length() + 1);
                }
            }
        }

        private synchronized String ask(String command, String kind) {
            try {
                commands.write(command + "\n");
                commands.flush();
                return reply(kind, 60);
            }
            catch (IOException ex) {
                throw new IllegalStateException("The load server is gone", ex);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted", ex);
            }
        }

        @Override
        public URI uri() {
            return endpoint(port);
        }

        @Override
        public String heapScope() {
            return "server process";
        }

        @Override
        public long heapAfterGc() {
            return Long.parseLong(ask("heap", "HEAP").trim());
        }

        @Override
        public long[] subscriptions() {
            String[] counts = ask("subscriptions", "SUBSCRIPTIONS").trim().split(" ");
            return new long[] { Long.parseLong(counts[0]), Long.parseLong(counts[1]) };
        }

        @Override
        public void close() {
            try {
                commands.close();
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroy();
                    if (!process.waitFor(10, TimeUnit.SECONDS)) {
                        process.destroyForcibly();
                    }
                }
            }
            catch (IOException ex) {
                process.destroyForcibly();
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    /** A server that is already running; only loopback addresses are accepted. */
    final class External implements ServerHandle {

        private final URI uri;

        External(URI uri) {
            String host = uri.getHost();
            if (!"ws".equals(uri.getScheme()) || host == null
                    || !(host.equals("127.0.0.1") || host.equals("localhost") || host.equals("[::1]"))) {
                throw new IllegalArgumentException("--url must be ws:// on 127.0.0.1 or localhost, was " + uri);
            }
            this.uri = uri;
        }

        @Override
        public URI uri() {
            return uri;
        }

        @Override
        public String heapScope() {
            return "not measured (external server)";
        }

        @Override
        public long heapAfterGc() {
            return -1;
        }

        @Override
        public long[] subscriptions() {
            return null;
        }

        @Override
        public void close() {
        }
    }
}
