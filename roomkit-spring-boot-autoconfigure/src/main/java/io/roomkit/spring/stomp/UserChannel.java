package io.roomkit.spring.stomp;

import io.roomkit.channel.Channel;
import io.roomkit.channel.WebSocketChannel;

import java.util.Optional;

/**
 * The channel through which one STOMP user writes: user {@code alice} writes through {@code ws-alice} (DESIGN §4),
 * which RoomKit registers as a {@code UserChannel} the first time she writes.
 * <p>
 * <b>The user-channel namespace.</b> Channel ids are one flat space shared with the application, so an id alone
 * cannot tell the application's own {@code ws-support-desk} from the channel of a user who signs in as
 * {@code support-desk}. What makes a channel a user's is its type: only a {@code UserChannel} of that user is
 * written through on the user's behalf. When the id {@code ws-<name>} is held by any other channel (an application
 * channel, or a plain {@link WebSocketChannel} registered by application code), that user's frames that need their
 * channel are refused with {@code not_authorized}, so a user can never write through, move the read marker of, or
 * inherit the bindings of a channel that is not theirs. The reverse holds too: an application that registers a
 * channel whose id a user channel already holds gets {@code channel_exists}.
 * <p>
 * The id is the prefix and the name, unchanged, so the mapping is injective (two names never share a channel) and
 * every user channel starts with {@value #PREFIX}: no name can lead outside the namespace, for example to an AI
 * channel or a system channel. Names a store could not keep are refused when the user connects
 * ({@link #isUsableName}). Ids stay readable and identical to those written before this class existed, so stored
 * read markers and bindings keep working.
 */
public class UserChannel extends WebSocketChannel {

    /** Prefix of every user channel id. */
    public static final String PREFIX = "ws-";
    /** Longest user name RoomKit accepts, in UTF-16 units: its channel id stays within every store's 255. */
    public static final int MAX_NAME_LENGTH = 128;

    private final String userId;

    /** The channel of user {@code userId}; application code writing on a user's behalf may register one too. */
    public UserChannel(String userId) {
        super(idOf(userId));
        this.userId = userId;
    }

    /** The user who writes through this channel. */
    public String userId() {
        return userId;
    }

    /** The id of the channel of {@code userId}: {@code ws-<userId>}. */
    public static String idOf(String userId) {
        if (userId == null || userId.isEmpty()) {
            throw new IllegalArgumentException("A user channel needs a user name");
        }
        return PREFIX + userId;
    }

    /** Whether {@code channel} is the user channel of {@code userId}. */
    public static boolean belongsTo(Channel channel, String userId) {
        return channel instanceof UserChannel user && user.userId().equals(userId);
    }

    /**
     * The user whose channel {@code channelId} is, when the id is in the namespace and is not held by another
     * kind of channel ({@code registered}: the channel registered under that id, if any).
     */
    public static Optional<String> userOf(String channelId, Optional<Channel> registered) {
        if (channelId == null || !channelId.startsWith(PREFIX) || channelId.length() == PREFIX.length()) {
            return Optional.empty();
        }
        if (registered.isPresent() && !(registered.get() instanceof UserChannel)) {
            return Optional.empty();
        }
        return Optional.of(channelId.substring(PREFIX.length()));
    }

    /**
     * Whether RoomKit can act for a user of this name: 1 to {@value #MAX_NAME_LENGTH} characters, none of them a
     * control character or half of a surrogate pair, which no database stores as sent. Principal names come from
     * the application's identity provider (a JWT {@code sub}, an LDAP name), so anything else is possible.
     */
    public static boolean isUsableName(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME_LENGTH || name.isBlank()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isISOControl(c)) {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= name.length() || !Character.isLowSurrogate(name.charAt(i + 1))) {
                    return false;
                }
                i++;
            }
            else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
