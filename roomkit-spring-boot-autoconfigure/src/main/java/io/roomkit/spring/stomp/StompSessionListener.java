package io.roomkit.spring.stomp;

import io.roomkit.spring.presence.PresenceTracker;
import org.springframework.context.ApplicationListener;
import org.springframework.web.socket.messaging.SessionDisconnectEvent;

/** Tells the {@link PresenceTracker} about disconnects (which Spring may report more than once). */
public class StompSessionListener implements ApplicationListener<SessionDisconnectEvent> {

    private final PresenceTracker presence;

    public StompSessionListener(PresenceTracker presence) {
        this.presence = presence;
    }

    @Override
    public void onApplicationEvent(SessionDisconnectEvent event) {
        presence.disconnect(event.getSessionId());
    }
}
