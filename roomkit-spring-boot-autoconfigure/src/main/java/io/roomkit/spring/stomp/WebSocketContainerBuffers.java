package io.roomkit.spring.stomp;

import jakarta.servlet.ServletContext;
import jakarta.websocket.WebSocketContainer;
import jakarta.websocket.server.ServerContainer;
import org.springframework.web.context.ServletContextAware;

/**
 * Sets the servlet container's default WebSocket message buffers, which every new session allocates before
 * Spring or RoomKit sees it (Tomcat: 8,192 characters and 8,192 bytes, 24 KiB of heap per connection). Like
 * Spring's {@code ServletServerContainerFactoryBean}, but doing nothing when the context has no WebSocket
 * container (a mock servlet environment), instead of failing.
 */
public final class WebSocketContainerBuffers implements ServletContextAware {

    private final int textSize;
    private final int binarySize;

    public WebSocketContainerBuffers(int textSize, int binarySize) {
        this.textSize = textSize;
        this.binarySize = binarySize;
    }

    @Override
    public void setServletContext(ServletContext servletContext) {
        if (servletContext.getAttribute(ServerContainer.class.getName()) instanceof WebSocketContainer container) {
            container.setDefaultMaxTextMessageBufferSize(textSize);
            container.setDefaultMaxBinaryMessageBufferSize(binarySize);
        }
    }
}
