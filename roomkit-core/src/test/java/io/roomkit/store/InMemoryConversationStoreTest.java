package io.roomkit.store;

class InMemoryConversationStoreTest extends ConversationStoreContractTest {

    @Override
    protected ConversationStore createStore() {
        return new InMemoryConversationStore();
    }

    @Override
    protected int operationsPerThread() {
        return 2_000;
    }

    @Override
    protected int raceIterations() {
        return 50_000;
    }
}
