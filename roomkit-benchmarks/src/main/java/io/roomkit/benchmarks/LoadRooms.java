package io.roomkit.benchmarks;

import io.roomkit.spring.stomp.StompDestinations;

/**
 * The rooms of a load run and their STOMP destinations, the same for RoomKit and the baseline: client {@code i}
 * of {@code clients} is in room {@code load-<i % rooms>}, so the first {@code clients % rooms} rooms have one
 * client more than the others.
 */
final class LoadRooms {

    /** Where the server reports a refused frame to its sender (the baseline server uses RoomKit's names). */
    static final String ERRORS_QUEUE = StompDestinations.USER_ERRORS;

    private LoadRooms() {
    }

    static String roomId(int room) {
        return "load-" + room;
    }

    /** The room of client {@code client}. */
    static String roomOf(int client, int rooms) {
        return roomId(client % rooms);
    }

    /** How many of {@code clients} clients are in room {@code room}. */
    static int size(int room, int clients, int rooms) {
        return clients / rooms + (room < clients % rooms ? 1 : 0);
    }

    /** Where the room's stored events (messages) arrive. */
    static String eventsTopic(String roomId) {
        return StompDestinations.eventsTopic(roomId);
    }

    /** Where the room's ephemeral events (typing, presence) arrive. */
    static String ephemeralTopic(String roomId) {
        return StompDestinations.ephemeralTopic(roomId);
    }

    /** Where a client sends its typing frames. */
    static String typingDestination(String roomId) {
        return "/app/rooms." + roomId + ".typing";
    }

    /** Where a client sends its messages. */
    static String messagesDestination(String roomId) {
        return "/app/rooms." + roomId + ".messages";
    }
}
