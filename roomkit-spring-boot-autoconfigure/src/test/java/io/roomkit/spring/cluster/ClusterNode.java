package io.roomkit.spring.cluster;

import io.roomkit.RoomKit;
import io.roomkit.spring.stomp.app.StompTestApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.ArrayList;
import java.util.List;

/** One application instance of a test cluster: its own port, shared PostgreSQL and RabbitMQ. */
final class ClusterNode implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private ClusterNode(ConfigurableApplicationContext context) {
        this.context = context;
    }

    static ClusterNode start(String databaseUrl, String... extraProperties) {
        return start(databaseUrl, List.of(), extraProperties);
    }

    /** A node of the relay topology with the test's own {@code configurations} added to the application's. */
    static ClusterNode start(String databaseUrl, List<Class<?>> configurations, String... extraProperties) {
        List<String> properties = new ArrayList<>(List.of("roomkit.websocket.relay.enabled=true",
                "roomkit.websocket.relay.host=127.0.0.1"));
        properties.addAll(List.of(extraProperties));
        return startWith(databaseUrl, configurations, properties);
    }

    /** A node of the Redis topology (no relay): realtime over Redis, channels under {@code channelPrefix}. */
    static ClusterNode startOnRedis(String databaseUrl, String channelPrefix, String... extraProperties) {
        List<String> properties = new ArrayList<>(List.of("roomkit.realtime.type=redis",
                "roomkit.realtime.redis.channel-prefix=" + channelPrefix));
        properties.addAll(List.of(extraProperties));
        return startWith(databaseUrl, List.of(), properties);
    }

    private static ClusterNode startWith(String databaseUrl, List<Class<?>> configurations,
            List<String> extraProperties) {
        List<String> properties = new ArrayList<>(List.of("server.port=0", "spring.datasource.url=" + databaseUrl,
                "spring.datasource.username=postgres", "spring.jpa.hibernate.ddl-auto=validate",
                "roomkit.jdbc.initialize-schema=always", "roomkit.websocket.trust-client-login=true",
                "roomkit.websocket.open-rooms=true", "spring.main.banner-mode=off",
                "logging.level.root=warn"));
        properties.addAll(extraProperties);
        List<Class<?>> sources = new ArrayList<>(List.of(StompTestApplication.class));
        sources.addAll(configurations);
        return new ClusterNode(new SpringApplicationBuilder(sources.toArray(Class<?>[]::new))
                .properties(properties.toArray(String[]::new)).run());
    }

    int port() {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    RoomKit kit() {
        return context.getBean(RoomKit.class);
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    boolean isRunning() {
        return context.isActive();
    }

    @Override
    public void close() {
        if (context.isActive()) {
            context.close();
        }
    }
}
