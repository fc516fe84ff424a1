package io.roomkit.benchmarks;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.messaging.simp.user.SimpUser;
import org.springframework.messaging.simp.user.SimpUserRegistry;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The server the load tool measures, on 127.0.0.1: either RoomKit (the starter's auto-configuration, STOMP on the
 * simple broker, trusted login header and open rooms, as in the sample application, with the rate limits off) or the plain-Spring
 * {@link BaselineStompConfiguration}. Started in the tool's JVM, or as a process of its own through
 * {@link #main}, which then answers commands on standard input:
 * <ul>
 * <li>{@code heap}: heap in use after garbage collection, {@code LOADSERVER HEAP <bytes>};</li>
 * <li>{@code subscriptions}: STOMP sessions and subscriptions, {@code LOADSERVER SUBSCRIPTIONS <sessions> <subs>};</li>
 * <li>end of input or {@code exit}: stops the server and the process.</li>
 * </ul>
 * The process also stops by itself after {@code --max-seconds}.
 */
public final class LoadServer implements AutoCloseable {

    public static final String PREFIX = "LOADSERVER ";
    public static final String ENDPOINT = "/roomkit/ws";

    /** Which server. */
    public enum Kind {
        ROOMKIT, BASELINE;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Kind of(String value) {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        }
    }

    private static final String NO_DATABASE = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration,"
            + "org.springframework.boot.jdbc.autoconfigure.DataSourceInitializationAutoConfiguration,"
            + "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration,"
            + "org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration";

    private final ConfigurableApplicationContext context;
    private final int port;
    private final AutoCloseable database;
    private final AtomicBoolean closed = new AtomicBoolean();

    private LoadServer(ConfigurableApplicationContext context, AutoCloseable database) {
        this.context = context;
        this.port = ((WebServerApplicationContext) context).getWebServer().getPort();
        this.database = database;
    }

    /**
     * Starts a server on 127.0.0.1.
     *
     * @param store RoomKit's store: {@code memory}, {@code h2} (the JPA store on H2 in memory) or {@code postgres}
     *              (the JPA store on PostgreSQL, in a schema of the run's own that {@link #close()} drops); ignored
     *              by the baseline, which stores nothing
     * @param port  0 for any free port
     */
    public static LoadServer start(Kind kind, String store, int port) {
        List<String> properties = new ArrayList<>(List.of("server.address=127.0.0.1", "server.port=" + port,
                "spring.main.banner-mode=off", "logging.level.root=warn",
                "server.tomcat.max-connections=30000", "server.tomcat.accept-count=2000"));
        List<Class<?>> sources = new ArrayList<>(List.of(ServerApplication.class));
        Databases.PostgresSchema schema = null;
        if (kind == Kind.BASELINE) {
            properties.add("roomkit.enabled=false");
            properties.add("spring.autoconfigure.exclude=" + NO_DATABASE);
            sources.add(BaselineStompConfiguration.class);
        }
        else {
            properties.addAll(List.of("roomkit.websocket.trust-client-login=true", "roomkit.websocket.open-rooms=true"));
            // the load tool's clients send as fast as the server answers, which is exactly what the rate limits
            // refuse: with them on, the tool would measure the limits instead of the server (and the baseline has none)
            properties.add("roomkit.websocket.limits.enabled=false");
            switch (store) {
                case "memory" -> {
                    properties.add("roomkit.store.type=memory");
                    properties.add("spring.autoconfigure.exclude=" + NO_DATABASE);
                }
                case "h2" -> properties.addAll(List.of("roomkit.store.type=jpa",
                        "spring.datasource.url=" + Databases.newH2Url(), "spring.datasource.username=sa",
                        "spring.jpa.hibernate.ddl-auto=validate", "spring.jpa.open-in-view=false"));
                case "postgres" -> {
                    Databases.requirePostgres("LoadTool --store postgres");
                    schema = Databases.newPostgresSchema();
                    properties.addAll(List.of("roomkit.store.type=jpa", "spring.datasource.url=" + schema.url(),
                            "spring.datasource.username=" + Databases.POSTGRES_USER,
                            "spring.jpa.hibernate.ddl-auto=validate", "spring.jpa.open-in-view=false",
                            "roomkit.jdbc.initialize-schema=always"));
                }
                default -> throw new IllegalArgumentException("store must be memory, h2 or postgres, was " + store);
            }
        }
        try {
            ConfigurableApplicationContext context = new SpringApplicationBuilder(sources.toArray(Class<?>[]::new))
                    .properties(properties.toArray(String[]::new)).run();
            return new LoadServer(context, schema);
        }
        catch (RuntimeException ex) {
            if (schema != null) {
                schema.close();
            }
            throw ex;
        }
    }

    public int port() {
        return port;
    }

    /** Heap in use after collecting garbage: the whole JVM's. */
    public static long usedHeapAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(150);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                break;
            }
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    /** STOMP sessions and subscriptions with a user, as Spring's user registry counts them. */
    public long[] subscriptions() {
        long sessions = 0;
        long subscriptions = 0;
        for (SimpUser user : context.getBean(SimpUserRegistry.class).getUsers()) {
            for (var session : user.getSessions()) {
                sessions++;
                subscriptions += session.getSubscriptions().size();
            }
        }
        return new long[] { sessions, subscriptions };
    }

    /** Stops the server and drops its PostgreSQL schema, if it has one; once, whoever calls first. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            context.close();
        }
        finally {
            if (database != null) {
                try {
                    database.close();
                }
                catch (Exception ex) {
                    System.err.println("Load server: could not drop its database schema: " + ex);
                }
            }
        }
    }

    /** {@code --kind roomkit|baseline --store memory|h2|postgres --port 0 --max-seconds 3600} */
    public static void main(String[] args) throws IOException {
        Kind kind = Kind.ROOMKIT;
        String store = "memory";
        int port = 0;
        long maxSeconds = 3600;
        for (int i = 0; i < args.length; i += 2) {
            String value = args[i + 1];
            switch (args[i]) {
                case "--kind" -> kind = Kind.of(value);
                case "--store" -> store = value;
                case "--port" -> port = Integer.parseInt(value);
                case "--max-seconds" -> maxSeconds = Long.parseLong(value);
                default -> throw new IllegalArgumentException("Unknown option " + args[i]);
            }
        }
        long lifetime = maxSeconds;
        Thread reaper = new Thread(() -> {
            try {
                Thread.sleep(lifetime * 1000);
                System.err.println("Load server: --max-seconds " + lifetime + " reached, stopping");
                System.exit(3);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }, "load-server-lifetime");
        reaper.setDaemon(true);
        reaper.start();
        LoadServer server;
        try {
            server = start(kind, store, port);
        }
        catch (RuntimeException ex) {
            ex.printStackTrace();
            System.exit(1);
            return;
        }
        // also on --max-seconds or a signal: the PostgreSQL schema is dropped
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "load-server-close"));
        System.out.println(PREFIX + "READY " + server.port());
        System.out.flush();
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String command;
        while ((command = commands.readLine()) != null && !command.equals("exit")) {
            switch (command.trim()) {
                case "heap" -> System.out.println(PREFIX + "HEAP " + usedHeapAfterGc());
                case "subscriptions" -> {
                    long[] counts = server.subscriptions();
                    System.out.println(PREFIX + "SUBSCRIPTIONS " + counts[0] + " " + counts[1]);
                }
                default -> System.out.println(PREFIX + "UNKNOWN " + command);
            }
            System.out.flush();
        }
        server.close();
        System.exit(0);
    }

    /** Boot's auto-configuration, no component scan: the baseline's beans only join when asked for. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    public static class ServerApplication {
    }
}
