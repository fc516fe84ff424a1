package io.roomkit.spring.cluster;

import org.junit.jupiter.api.Test;

import java.util.UUID;

/** The listener rule behind the RabbitMQ relay ({@link ListenerRule}). */
class RelayListenerRuleTest extends TwoRelayNodes {

    @Test
    void persistentListenersFireOncePerClusterOrOnEveryNodeWithScopeNodeAndEphemeralOnesOnEveryNode()
            throws Exception {
        org.awaitility.Awaitility.await().until(() -> nodeA.bean(io.roomkit.spring.stomp.RelayEventSubscriber.class)
                .isConnected() && nodeB.bean(io.roomkit.spring.stomp.RelayEventSubscriber.class).isConnected());
        ListenerRule.check(nodeA, nodeB, "rule-" + UUID.randomUUID().toString().substring(0, 8));
    }
}
