package io.roomkit.pipeline;

/**
 * Marks a {@link io.roomkit.channel.Channel}, an observing {@link io.roomkit.hook.Hook} or a
 * {@link io.roomkit.channel.ConnectionSink} of a {@link io.roomkit.channel.WebSocketChannel} that never blocks: it
 * only hands the event on to a queue (a STOMP broker's channel, an in-process broadcaster), so the pipeline may
 * deliver to it on the writer's own thread instead of a delivery worker's, which saves a thread hand-off per
 * event. Rooms whose sinks are all non-blocking are delivered on the writer's thread; any other sink makes the
 * room's deliveries run on delivery workers, so that a sink that blocks never holds up the writer.
 * <p>
 * Do not implement it for code that does I/O, takes locks other code may hold for long, or waits.
 */
public interface NonBlocking {
}
