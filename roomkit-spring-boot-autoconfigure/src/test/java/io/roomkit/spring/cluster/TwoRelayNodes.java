package io.roomkit.spring.cluster;

import io.roomkit.spring.jpa.PostgresSchemaAccess;
import io.roomkit.spring.stomp.StompTestClient;
import io.roomkit.spring.test.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

import java.util.ArrayList;
import java.util.List;

/**
 * Two RoomKit nodes on one PostgreSQL schema and the RabbitMQ relay, started once per test class, and the STOMP
 * clients a test opens, closed after each test.
 */
abstract class TwoRelayNodes {

    protected static AutoCloseable schema;
    protected static ClusterNode nodeA;
    protected static ClusterNode nodeB;

    protected final List<StompTestClient> clients = new ArrayList<>();

    @BeforeAll
    static void startCluster() {
        TestServices.requirePostgres();
        TestServices.requireRabbitStomp();
        PostgresSchemaAccess access = PostgresSchemaAccess.create();
        schema = access;
        nodeA = ClusterNode.start(access.url());
        nodeB = ClusterNode.start(access.url());
    }

    @AfterAll
    static void stopCluster() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[] { nodeA, nodeB, schema }) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    @AfterEach
    void disconnect() {
        clients.forEach(StompTestClient::close);
    }
}
