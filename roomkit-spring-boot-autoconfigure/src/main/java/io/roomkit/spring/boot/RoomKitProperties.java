package io.roomkit.spring.boot;

import io.roomkit.spring.ai.AiChannelSettings;
import io.roomkit.spring.stomp.StompInboundPool;
import io.roomkit.spring.stomp.StompRateLimits;
import io.roomkit.spring.stomp.StompRelaySettings;
import io.roomkit.realtime.InMemoryRealtime;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.List;

/**
 * Configuration of RoomKit ({@code roomkit.*}).
 *
 * @param enabled   Whether to auto-configure RoomKit.
 * @param store     Where persistent events are stored.
 * @param jdbc      Schema initialisation of the JPA store.
 * @param realtime  How ephemeral events travel.
 * @param websocket The STOMP-over-WebSocket endpoint that browsers use.
 * @param typing    Typing indicators.
 * @param ai        AI assistants in rooms.
 * @param presence  Where presence and typing state live.
 * @param delivery  How persistent events reach channels, hooks and AI channels.
 * @param membership How joining and leaving rooms shows in their timelines.
 */
@ConfigurationProperties("roomkit")
public record RoomKitProperties(@DefaultValue("true") boolean enabled, @DefaultValue Store store,
        @DefaultValue Jdbc jdbc, @DefaultValue Realtime realtime, @DefaultValue Websocket websocket,
        @DefaultValue Typing typing, @DefaultValue Ai ai, @DefaultValue Presence presence,
        @DefaultValue Delivery delivery, @DefaultValue Membership membership) {

    /**
     * Membership in the timeline. Removals, bans and departures are always stored as SYSTEM events.
     *
     * @param joinEvents Whether a user who joins an open room on first use is announced in its timeline with a
     *                   participant_joined SYSTEM event.
     */
    public record Membership(@DefaultValue("false") boolean joinEvents) {
    }

    /**
     * Delivery of persistent events.
     *
     * @param stallTimeout        Time a channel, hook or persistent listener may take one event before the room
     *                            goes on without it; it receives its later events, in order, when it returns.
     * @param intelligenceThreads AI answers produced at the same time, across rooms and AI channels.
     */
    public record Delivery(@DefaultValue("250ms") Duration stallTimeout,
            @DefaultValue("8") int intelligenceThreads) {
    }

    /**
     * Persistent event store.
     *
     * @param type    Store to use: "auto" picks JPA when an EntityManagerFactory exists, else memory.
     * @param timeout Longest a STOMP frame (access check, message, history) or the health check waits for a store
     *                that is not in memory; beyond it the client gets the error "unavailable" and health says DOWN.
     *                0 waits as long as the store does.
     */
    public record Store(@DefaultValue("auto") StoreType type, @DefaultValue("2s") Duration timeout) {
    }

    /** Which store holds persistent events. */
    public enum StoreType {
        /** JPA when an {@code EntityManagerFactory} exists, otherwise memory. */
        AUTO,
        /** The JPA store; fails at start-up when JPA is not configured. */
        JPA,
        /** The in-memory store: nothing survives a restart. */
        MEMORY
    }

    /**
     * Schema initialisation of the JPA store.
     *
     * @param initializeSchema When to run the JPA store's schema scripts (they are idempotent).
     */
    public record Jdbc(@DefaultValue("embedded") SchemaInitialization initializeSchema) {
    }

    /** When the JPA store's schema scripts run. */
    public enum SchemaInitialization {
        /** Only for embedded databases (H2 in memory or on file, HSQLDB, Derby). */
        EMBEDDED,
        /** On every start-up, whatever the database. */
        ALWAYS,
        /** Never: the application manages the schema (Flyway, Liquibase, a DBA). */
        NEVER
    }

    /**
     * Realtime backend for ephemeral events.
     *
     * @param type         Backend to use: "auto" picks STOMP when Spring WebSocket messaging is present, else memory.
     * @param maxQueueSize Capacity of each subscription's queue; the oldest event is dropped when it is full.
     * @param redis        The Redis backend.
     * @param gapWait      On a cluster, how long a node holds a persistent event that arrived ahead of a lower index
     *                     (over Redis, or from the relay for listeners with scope NODE) before it reads the missing
     *                     events from the store.
     */
    public record Realtime(@DefaultValue("auto") RealtimeType type,
            @DefaultValue("" + InMemoryRealtime.DEFAULT_MAX_QUEUE_SIZE) int maxQueueSize, @DefaultValue Redis redis,
            @DefaultValue("100ms") Duration gapWait) {
    }

    /** Which backend carries ephemeral events. */
    public enum RealtimeType {
        /** STOMP when Spring WebSocket messaging is present, otherwise memory. */
        AUTO,
        /** Spring's STOMP broker (simple broker or relay). */
        STOMP,
        /** In-process only. */
        MEMORY,
        /** Redis pub/sub, shared with Python RoomKit nodes. */
        REDIS
    }

    /**
     * Redis realtime backend, and Redis presence and typing state.
     *
     * @param channelPrefix Prefix of Redis channel names, as in "<prefix>:room:<roomId>" (ephemeral events) and
     *                      "<prefix>:events:room:<roomId>" (persistent events).
     * @param timeout       Longest a STOMP thread or the health check waits for Redis; beyond it presence and typing
     *                      state stay on this node until Redis answers again, and health says DOWN.
     */
    public record Redis(@DefaultValue("roomkit:realtime") String channelPrefix,
            @DefaultValue("500ms") Duration timeout) {
    }

    /**
     * STOMP-over-WebSocket endpoint.
     *
     * @param endpoint         Path of the STOMP endpoint.
     * @param allowedOrigins   Origins allowed to open the WebSocket; only the server's own origin when empty.
     * @param trustClientLogin Whether to take the user from the CONNECT frame's "login" header (for development;
     *                         ignored when Spring Security is present).
     * @param openRooms        Whether every authenticated user may subscribe and send to every room, joining it as a member.
     * @param relay            STOMP broker relay, for several nodes.
     * @param limits           Rate limits of STOMP clients.
     * @param inbound          Thread pool that runs the STOMP frames clients send.
     * @param accessCacheTtl   How long a session remembers that the access policy let it read or write a room, so
     *                         that its frames there do not each read the store; membership changes (removal, ban,
     *                         leaving, a recheck) forget it at once. 0 asks the policy for every frame.
     * @param buffers          Per-connection buffers of the WebSocket transport.
     * @param roomUpdates      How long the per-user room updates of {@code /user/queue/rooms} gather changes before
     *                         the changed counts are read and sent (one update per user and room per window).
     */
    public record Websocket(@DefaultValue("/roomkit/ws") String endpoint, @DefaultValue List<String> allowedOrigins,
            @DefaultValue("false") boolean trustClientLogin, @DefaultValue("false") boolean openRooms,
            @DefaultValue Relay relay, @DefaultValue Limits limits, @DefaultValue Inbound inbound,
            @DefaultValue("30s") Duration accessCacheTtl, @DefaultValue Buffers buffers,
            @DefaultValue("200ms") Duration roomUpdates) {
    }

    /**
     * The thread pool of the client inbound channel: the threads that check and handle every STOMP frame clients
     * send (what Spring's own {@code clientInboundChannel} pool does, sized the same way by default). It is
     * RoomKit's own, so frames neither wait behind nor grow Boot's shared {@code applicationTaskExecutor}; an
     * application bean named {@code roomKitStompInboundExecutor} replaces it.
     *
     * @param coreThreads   Threads kept at all times; 0 means twice the number of available processors (Spring's
     *                      default for the client inbound channel).
     * @param maxThreads    Most threads, reached only when the queue is full; 0 means as many as core-threads, a
     *                      pool of fixed size that neither grows nor shrinks under load.
     * @param queueCapacity Frames that may wait for a thread; beyond that (and beyond max-threads) a frame is
     *                      rejected. The default is unbounded, as Spring's.
     * @param keepAlive     How long a thread above core-threads may stay idle before it ends.
     */
    public record Inbound(@DefaultValue("0") int coreThreads, @DefaultValue("0") int maxThreads,
            @DefaultValue("2147483647") int queueCapacity, @DefaultValue("60s") Duration keepAlive)
            implements StompInboundPool {

        /** Sizes that cannot make a pool fail start-up naming the property. */
        public Inbound {
            if (coreThreads < 0 || maxThreads < 0 || queueCapacity < 0) {
                throw new IllegalArgumentException("roomkit.websocket.inbound.core-threads, max-threads and "
                        + "queue-capacity must not be negative");
            }
            if (maxThreads > 0 && maxThreads < effectiveCoreThreads(coreThreads)) {
                throw new IllegalArgumentException("roomkit.websocket.inbound.max-threads (" + maxThreads
                        + ") must be at least core-threads (" + effectiveCoreThreads(coreThreads) + ")");
            }
        }

        /** The threads kept at all times: core-threads, or twice the available processors when it is 0. */
        public int effectiveCoreThreads() {
            return effectiveCoreThreads(coreThreads);
        }

        /** The most threads: max-threads, or the effective core threads when it is 0. */
        public int effectiveMaxThreads() {
            return maxThreads == 0 ? effectiveCoreThreads() : maxThreads;
        }

        private static int effectiveCoreThreads(int coreThreads) {
            return coreThreads > 0 ? coreThreads : 2 * Runtime.getRuntime().availableProcessors();
        }
    }

    /**
     * Per-connection buffers of the WebSocket transport: each open connection holds them, idle or not. A client
     * message longer than a buffer still works (up to 128 KiB): it arrives in parts that RoomKit joins.
     *
     * @param textSize   Characters of a client's text message the servlet container buffers for a RoomKit
     *                   connection (2 bytes each); Spring's STOMP support would make it 16,640 (33 KiB).
     * @param binarySize Bytes of a client's binary message the servlet container buffers for a RoomKit connection,
     *                   from its first binary message on (until then the container's default, 8 KiB).
     * @param ioSize     Bytes of Tomcat's WebSocket read and write buffers of every connection (the system
     *                   property org.apache.tomcat.websocket.DEFAULT_BUFFER_SIZE, set at start-up unless given
     *                   with -D); 0 leaves Tomcat's 8 KiB.
     */
    public record Buffers(@DefaultValue("1024") int textSize, @DefaultValue("1024") int binarySize,
            @DefaultValue("2048") int ioSize) {

        /** A buffer of no size cannot hold a part of a message: start-up fails naming the property instead. */
        public Buffers {
            if (textSize < 1 || binarySize < 1 || ioSize < 0) {
                throw new IllegalArgumentException("roomkit.websocket.buffers.text-size and binary-size must be at "
                        + "least 1 and io-size at least 0, were " + textSize + ", " + binarySize + " and " + ioSize);
            }
        }
    }

    /**
     * Rate limits of STOMP clients, counted on each node. Rates are token buckets: a user may send a burst at
     * once, then at the rate. A frame over a limit is refused with the error "rate_limited" and "retry_after_ms".
     *
     * @param enabled                 Whether to apply the limits at all.
     * @param messagesPerSecond       Persistent frames (messages, edits, deletes) a user may send per second, over
     *                                all of their connections.
     * @param messagesBurst           Persistent frames a user may send at once before the per-second rate applies
     *                                (a client that resends its unsent messages after a reconnect sends them at once).
     * @param ephemeralPerSecond      Ephemeral frames (typing, presence, reactions, read) a user may send per second.
     * @param ephemeralBurst          Ephemeral frames a user may send at once before the per-second rate applies.
     * @param historyPerSecond        History requests a user may make per second.
     * @param historyBurst            History requests a user may make at once before the per-second rate applies.
     * @param subscriptionsPerSession Topic and error-queue subscriptions one STOMP session (connection) may hold.
     * @param roomsPerMinute          Rooms a user may create per minute by using new room ids (open rooms only);
     *                                also how many at once.
     */
    public record Limits(@DefaultValue("true") boolean enabled, @DefaultValue("10") double messagesPerSecond,
            @DefaultValue("500") int messagesBurst, @DefaultValue("20") double ephemeralPerSecond,
            @DefaultValue("200") int ephemeralBurst, @DefaultValue("5") double historyPerSecond,
            @DefaultValue("100") int historyBurst, @DefaultValue("100") int subscriptionsPerSession,
            @DefaultValue("30") int roomsPerMinute) implements StompRateLimits {

        /** A rate or size that is not positive would refuse everything: start-up fails naming it instead. */
        public Limits {
            positive("messages-per-second", messagesPerSecond);
            positive("messages-burst", messagesBurst);
            positive("ephemeral-per-second", ephemeralPerSecond);
            positive("ephemeral-burst", ephemeralBurst);
            positive("history-per-second", historyPerSecond);
            positive("history-burst", historyBurst);
            positive("subscriptions-per-session", subscriptionsPerSession);
            positive("rooms-per-minute", roomsPerMinute);
        }

        private static void positive(String name, double value) {
            if (!(value > 0) || Double.isInfinite(value)) {
                throw new IllegalArgumentException("roomkit.websocket.limits." + name + " must be a positive number, "
                        + "was " + value + " (to switch the limits off, set roomkit.websocket.limits.enabled=false)");
            }
        }
    }

    /**
     * STOMP broker relay (RabbitMQ with {@code rabbitmq_stomp}).
     *
     * @param enabled     Whether to relay to an external broker instead of using the in-process simple broker.
     * @param host        Broker host.
     * @param port        Broker STOMP port.
     * @param login       Login of the relay's connections.
     * @param passcode    Passcode of the relay's connections.
     * @param virtualHost Virtual host sent in CONNECT frames.
     */
    public record Relay(@DefaultValue("false") boolean enabled, @DefaultValue("localhost") String host,
            @DefaultValue("61613") int port, @DefaultValue("guest") String login,
            @DefaultValue("guest") String passcode, @DefaultValue("/") String virtualHost)
            implements StompRelaySettings {
    }

    /**
     * Presence and typing state of STOMP users.
     *
     * @param store               Where it lives: "auto" uses Redis when a Redis connection exists and the node is
     *                            part of a cluster (relay enabled or realtime type redis), else this process.
     * @param coalesceAbove       Rooms with more users online than this (sessions, with the Redis store) announce
     *                            arrivals and departures as one "presence_diff" custom event per window instead of
     *                            one presence_online/presence_offline event per user.
     * @param coalesceWindow      How long a large room collects arrivals and departures before its diff; the
     *                            window grows in whole multiples of this with the room's size (coalesce-above
     *                            users per multiple).
     * @param coalesceMaxWindow   Longest window of a large room's presence diff, however large the room.
     */
    public record Presence(@DefaultValue("auto") PresenceStoreType store, @DefaultValue("50") int coalesceAbove,
            @DefaultValue("250ms") Duration coalesceWindow, @DefaultValue("5s") Duration coalesceMaxWindow) {
    }

    /** Where presence and typing state live. */
    public enum PresenceStoreType {
        /** Redis for a cluster, memory for a single node. */
        AUTO,
        /** This process: right for a single node. */
        LOCAL,
        /** Redis, shared by every node, with node heartbeats. */
        REDIS
    }

    /**
     * AI assistants.
     *
     * @param channels The AI channels to register, each attached to the rooms its patterns match.
     */
    public record Ai(@DefaultValue List<AiChannel> channels) {
    }

    /**
     * One AI channel.
     *
     * @param id             Channel id, also the assistant's user id in events.
     * @param rooms          Room ids or '*' patterns the assistant joins at their next message.
     * @param systemPrompt   Instructions for the model.
     * @param provider       Name of the AIProvider bean to use; by default the only AIProvider bean, else the
     *                       application's Spring AI ChatModel.
     * @param maxRounds      Most tool rounds in one answer.
     * @param historyLimit   Messages of context sent to the model.
     * @param thinkingWindow Coalescing window of THINKING_DELTA events; 0 publishes every delta.
     * @param timeout        Longest time one model call may take; the turn then ends with an "ai_error" event.
     * @param toolTimeout    Longest time one tool call may take; the model is told that the tool timed out.
     */
    public record AiChannel(String id, @DefaultValue List<String> rooms, String systemPrompt, String provider,
            @DefaultValue("5") int maxRounds, @DefaultValue("20") int historyLimit,
            @DefaultValue("80ms") Duration thinkingWindow, @DefaultValue("60s") Duration timeout,
            @DefaultValue("30s") Duration toolTimeout) implements AiChannelSettings {
    }

    /**
     * Typing indicators.
     *
     * @param timeout Time after which a TYPING_START that was neither renewed nor stopped is followed by a TYPING_STOP
     *                (checked by one sweep every tenth of it, so the stop comes at most a tenth later).
     */
    public record Typing(@DefaultValue("10s") Duration timeout) {
    }
}
