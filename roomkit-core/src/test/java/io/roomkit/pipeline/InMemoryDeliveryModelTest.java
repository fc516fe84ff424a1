package io.roomkit.pipeline;

import io.roomkit.store.ConversationStore;
import io.roomkit.store.InMemoryConversationStore;

class InMemoryDeliveryModelTest extends DeliveryModelContractTest {

    @Override
    protected ConversationStore createStore() {
        return new InMemoryConversationStore();
    }
}
