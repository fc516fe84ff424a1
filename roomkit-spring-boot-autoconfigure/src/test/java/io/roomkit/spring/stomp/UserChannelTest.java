package io.roomkit.spring.stomp;

import io.roomkit.RoomKit;
import io.roomkit.RoomKitException;
import io.roomkit.channel.WebSocketChannel;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UserChannelTest {

    @Test
    void aUsersChannelIsThePrefixAndTheNameUnchanged() {
        assertThat(new UserChannel("alice").id()).isEqualTo("ws-alice");
        assertThat(RoomKitStompController.channelId("auth0|42")).isEqualTo("ws-auth0|42");
        assertThat(new UserChannel("alice").userId()).isEqualTo("alice");
    }

    @Test
    void onlyAUserChannelOfThatUserBelongsToIt() {
        assertThat(UserChannel.belongsTo(new UserChannel("alice"), "alice")).isTrue();
        assertThat(UserChannel.belongsTo(new UserChannel("alice"), "bob")).isFalse();
        assertThat(UserChannel.belongsTo(new WebSocketChannel("ws-alice"), "alice")).isFalse();
    }

    @Test
    void channelsOfTheApplicationAreNotUsersEvenWithTheirPrefix() {
        assertThat(UserChannel.userOf("ws-bob", Optional.empty())).contains("bob");
        assertThat(UserChannel.userOf("ws-bob", Optional.of(new UserChannel("bob")))).contains("bob");
        assertThat(UserChannel.userOf("ws-support-desk", Optional.of(new WebSocketChannel("ws-support-desk"))))
                .isEmpty();
        assertThat(UserChannel.userOf("assistant", Optional.empty())).isEmpty();
        assertThat(UserChannel.userOf("ws-", Optional.empty())).isEmpty();
    }

    @Test
    void anApplicationChannelCannotTakeTheIdOfAUsersChannel() {
        try (RoomKit kit = new RoomKit()) {
            kit.registerChannelIfAbsent(new UserChannel("support-desk"));

            assertThatThrownBy(() -> kit.registerChannel(new WebSocketChannel("ws-support-desk")))
                    .isInstanceOfSatisfying(RoomKitException.class,
                            ex -> assertThat(ex.code()).isEqualTo("channel_exists"));
        }
    }

    @Test
    void namesNoStoreCanKeepAreNotUsable() {
        assertThat(UserChannel.isUsableName("alice")).isTrue();
        assertThat(UserChannel.isUsableName("Alice Smith")).isTrue();
        assertThat(UserChannel.isUsableName("auth0|5f7c8ec7c33c6c004bbafe82")).isTrue();
        assertThat(UserChannel.isUsableName("é\uD83D\uDE00")).isTrue();
        assertThat(UserChannel.isUsableName("x".repeat(UserChannel.MAX_NAME_LENGTH))).isTrue();

        assertThat(UserChannel.isUsableName(null)).isFalse();
        assertThat(UserChannel.isUsableName("")).isFalse();
        assertThat(UserChannel.isUsableName("   ")).isFalse();
        assertThat(UserChannel.isUsableName("x".repeat(UserChannel.MAX_NAME_LENGTH + 1))).isFalse();
        assertThat(UserChannel.isUsableName("nul\u0000")).isFalse();
        assertThat(UserChannel.isUsableName("line\nbreak")).isFalse();
        assertThat(UserChannel.isUsableName("half\uD83D")).isFalse();
        assertThat(UserChannel.isUsableName("\uDE00half")).isFalse();
    }
}
