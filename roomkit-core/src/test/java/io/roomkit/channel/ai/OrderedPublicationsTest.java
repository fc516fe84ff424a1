package io.roomkit.channel.ai;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A stream's publications: in the order queued, and a publish stuck on one thread holds up no other thread. */
class OrderedPublicationsTest {

    private final OrderedPublications publications = new OrderedPublications();
    private final List<String> published = new CopyOnWriteArrayList<>();

    @Test
    void aPublishStuckOnOneThreadDoesNotHoldUpAnotherAndOrderIsKept() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        publications.add(() -> {
            entered.countDown();
            awaitQuietly(release);
            published.add("first");
        });
        CompletableFuture<Void> provider = CompletableFuture.runAsync(publications::publish);
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

        // the turn's thread, ending the stream while the provider's thread is stuck publishing
        publications.add(() -> published.add("second"));
        publications.publish();

        assertThat(published).as("published while the first publication is stuck").isEmpty();
        release.countDown();
        provider.get(10, TimeUnit.SECONDS);
        await().atMost(java.time.Duration.ofSeconds(10)).until(() -> published.size() == 2);
        assertThat(published).containsExactly("first", "second");
    }

    @Test
    void aPublicationThatThrowsLeavesTheRestToTheNextPublish() {
        publications.add(() -> {
            throw new IllegalStateException("backend closed");
        });
        publications.add(() -> published.add("after"));

        org.assertj.core.api.Assertions.assertThatThrownBy(publications::publish)
                .isInstanceOf(IllegalStateException.class);
        publications.publish();

        assertThat(published).containsExactly("after");
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
