package io.roomkit.spring.stomp;

import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.WebSocketHandlerDecorator;

/**
 * Sizes the container's buffers for one client's incoming text and binary messages once the session is open.
 * Spring's STOMP support raises the text buffer of every session to 16,640 characters (33 KiB of heap per
 * connection, the largest single item of an idle connection); this sets it back after Spring has done so.
 * Longer messages still work: the container hands them over in parts, which the frame joiner of
 * {@link RoomKitStompConfigurer} puts together up to {@link RoomKitStompConfigurer#MESSAGE_SIZE_LIMIT}.
 */
public final class SessionBufferSizes extends WebSocketHandlerDecorator {

    private final int textSize;
    private final int binarySize;

    /**
     * @param textSize   characters of a text message buffered whole, at least 1
     * @param binarySize bytes of a binary message buffered whole, at least 1
     */
    public SessionBufferSizes(WebSocketHandler delegate, int textSize, int binarySize) {
        super(delegate);
        if (textSize < 1 || binarySize < 1) {
            throw new IllegalArgumentException("buffer sizes must be at least 1, were " + textSize + " and "
                    + binarySize);
        }
        this.textSize = textSize;
        this.binarySize = binarySize;
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) throws Exception {
        super.afterConnectionEstablished(session);
        // after Spring's STOMP handler, which raises the text size; the container reallocates at the next message
        session.setTextMessageSizeLimit(textSize);
        session.setBinaryMessageSizeLimit(binarySize);
    }
}
