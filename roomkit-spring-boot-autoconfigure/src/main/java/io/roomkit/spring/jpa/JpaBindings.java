package io.roomkit.spring.jpa;

import io.roomkit.model.ChannelBinding;
import io.roomkit.store.RoomWithBindings;
import jakarta.persistence.EntityManager;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The rows of {@code roomkit_bindings}, for {@link JpaConversationStore}: every method runs inside the store's
 * transaction, and {@link #save} inside its upsert path, which holds the room's shared lock.
 */
final class JpaBindings {

    /** roomkit_bindings_room_channel_uk. */
    private static final String FIND_ONE = "select b from RoomKitBinding b where b.roomId = :room "
            + "and b.channelId = :key";
    /** roomkit_bindings_room_channel_uk, on its first column; rows in the order they were attached. */
    private static final String OF_ROOM = "select b from RoomKitBinding b where b.roomId = :room order by b.seq";
    /** roomkit_bindings_room_channel_uk. */
    private static final String DELETE_ONE = "delete from RoomKitBinding b where b.roomId = :room "
            + "and b.channelId = :key";
    /**
     * roomkit_rooms_id_uk for the room, roomkit_bindings_room_channel_uk for its bindings: one query instead of
     * two, a row per binding (or one without).
     */
    private static final String ROOM_WITH_BINDINGS = "select r, b from RoomKitRoom r left join RoomKitBinding b "
            + "on b.roomId = r.id where r.id = :id order by b.seq";

    private final EntityManager em;
    private final EntityMapper mapper;
    private final KeyedRows<BindingEntity, ChannelBinding> rows;

    JpaBindings(EntityManager em, EntityMapper mapper) {
        this.em = em;
        this.mapper = mapper;
        this.rows = new KeyedRows<>(em, BindingEntity.class, FIND_ONE, OF_ROOM, DELETE_ONE, mapper::binding);
    }

    ChannelBinding save(ChannelBinding binding) {
        rows.upsert(binding.roomId(), binding.channelId(), () -> mapper.newBinding(binding),
                entity -> mapper.write(binding, entity));
        return binding;
    }

    Optional<ChannelBinding> get(String roomId, String channelId) {
        return rows.get(roomId, channelId);
    }

    List<ChannelBinding> list(String roomId) {
        return rows.list(roomId);
    }

    boolean remove(String roomId, String channelId) {
        return rows.delete(roomId, channelId);
    }

    Optional<RoomWithBindings> roomWithBindings(String roomId) {
        List<Object[]> found = em.createQuery(ROOM_WITH_BINDINGS, Object[].class).setParameter("id", roomId)
                .getResultList();
        if (found.isEmpty()) {
            return Optional.empty();
        }
        List<ChannelBinding> bindings = found.stream().map(row -> (BindingEntity) row[1]).filter(Objects::nonNull)
                .map(mapper::binding).toList();
        return Optional.of(new RoomWithBindings(mapper.room((RoomEntity) found.get(0)[0]), bindings));
    }
}
