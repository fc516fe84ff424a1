package io.roomkit.spring.stomp;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.WebSocketHandlerDecorator;
import org.springframework.web.socket.handler.WebSocketSessionDecorator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ends the WebSocket after a client's DISCONNECT: frames after it (in the same WebSocket message or later) are
 * not handled, and the socket is closed once the RECEIPT the DISCONNECT asked for has been sent, or at once when
 * it asked for none. Spring answers the RECEIPT but leaves the socket open, so a client that went on sending
 * after its DISCONNECT had those frames handled.
 * <p>
 * It sees whole WebSocket messages (it sits inside the decorator that joins partial ones) and looks for the
 * DISCONNECT command at frame starts; a frame split over several messages is followed, so that a body that
 * happens to contain the word is never taken for a command.
 */
public final class CloseAfterDisconnect extends WebSocketHandlerDecorator {

    private static final Logger log = LoggerFactory.getLogger(CloseAfterDisconnect.class);
    private static final String NO_RECEIPT = "";

    /** Per session: whether its next message starts a frame. */
    private final Map<String, Boolean> atFrameStart = new ConcurrentHashMap<>();
    /** Sessions that sent DISCONNECT, with the receipt id to wait for ({@link #NO_RECEIPT} when none). */
    private final Map<String, String> disconnecting = new ConcurrentHashMap<>();

    public CloseAfterDisconnect(WebSocketHandler delegate) {
        super(delegate);
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) throws Exception {
        super.afterConnectionEstablished(new ReceiptWatcher(session));
    }

    @Override
    public void handleMessage(WebSocketSession session, WebSocketMessage<?> message) throws Exception {
        if (disconnecting.containsKey(session.getId())) {
            return;
        }
        String text = text(message);
        if (text == null) {
            super.handleMessage(session, message);
            return;
        }
        Disconnect found = findDisconnect(text, atFrameStart.getOrDefault(session.getId(), true));
        if (found == null) {
            atFrameStart.put(session.getId(), endsAtFrameBoundary(text));
            super.handleMessage(session, message);
            return;
        }
        disconnecting.put(session.getId(), found.receipt());
        super.handleMessage(session, truncated(message, text.substring(0, found.end())));
        if (found.receipt().equals(NO_RECEIPT)) {
            close(session);
        }
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus closeStatus) throws Exception {
        atFrameStart.remove(session.getId());
        disconnecting.remove(session.getId());
        super.afterConnectionClosed(session, closeStatus);
    }

    private static String text(WebSocketMessage<?> message) {
        if (message instanceof TextMessage textMessage) {
            return textMessage.getPayload();
        }
        if (message instanceof BinaryMessage binary) {
            return StandardCharsets.UTF_8.decode(binary.getPayload().duplicate()).toString();
        }
        return null;
    }

    private static WebSocketMessage<?> truncated(WebSocketMessage<?> original, String kept) {
        return original instanceof TextMessage ? new TextMessage(kept)
                : new BinaryMessage(kept.getBytes(StandardCharsets.UTF_8));
    }

    /** A DISCONNECT frame: where it ends (after its NUL) and the receipt id it asked for. */
    record Disconnect(int end, String receipt) {
    }

    /** The first DISCONNECT frame of the message, or null; {@code startsFrame}: offset 0 starts a frame. */
    static Disconnect findDisconnect(String text, boolean startsFrame) {
        int start = startsFrame ? 0 : text.indexOf('\0') + 1;
        if (start == 0 && !startsFrame) {
            return null;
        }
        while (start < text.length()) {
            int commandStart = skipEndOfLines(text, start);
            int frameEnd = text.indexOf('\0', commandStart);
            int end = frameEnd < 0 ? text.length() : frameEnd + 1;
            if (text.startsWith("DISCONNECT", commandStart)) {
                return new Disconnect(end, receipt(text.substring(commandStart, end)));
            }
            if (frameEnd < 0) {
                return null;
            }
            start = end;
        }
        return null;
    }

    private static int skipEndOfLines(String text, int from) {
        int at = from;
        while (at < text.length() && (text.charAt(at) == '\n' || text.charAt(at) == '\r')) {
            at++;
        }
        return at;
    }

    private static String receipt(String frame) {
        int headersEnd = frame.indexOf("\n\n");
        String headers = headersEnd < 0 ? frame : frame.substring(0, headersEnd);
        for (String line : headers.split("\r?\n")) {
            if (line.startsWith("receipt:")) {
                return line.substring("receipt:".length());
            }
        }
        return NO_RECEIPT;
    }

    private static boolean endsAtFrameBoundary(String text) {
        int last = text.length() - 1;
        while (last >= 0 && (text.charAt(last) == '\n' || text.charAt(last) == '\r')) {
            last--;
        }
        return last < 0 || text.charAt(last) == '\0';
    }

    private static void close(WebSocketSession session) {
        try {
            session.close(CloseStatus.NORMAL);
        }
        catch (IOException ex) {
            log.debug("Could not close STOMP session {} after DISCONNECT", session.getId(), ex);
        }
    }

    /** The session as the STOMP handler sends through it: closes it once the awaited RECEIPT is out. */
    private final class ReceiptWatcher extends WebSocketSessionDecorator {

        ReceiptWatcher(WebSocketSession session) {
            super(session);
        }

        @Override
        public void sendMessage(WebSocketMessage<?> message) throws IOException {
            super.sendMessage(message);
            String receipt = disconnecting.get(getId());
            if (receipt != null && !receipt.equals(NO_RECEIPT) && message instanceof TextMessage text
                    && isReceipt(text.getPayload(), receipt)) {
                CloseAfterDisconnect.close(getDelegate());
            }
        }

        private static boolean isReceipt(String frame, String receipt) {
            return frame.startsWith("RECEIPT") && frame.contains("\nreceipt-id:" + receipt + "\n");
        }
    }
}
