package io.roomkit.spring.stomp;

import jakarta.servlet.ServletContext;
import jakarta.websocket.WebSocketContainer;
import jakarta.websocket.server.ServerContainer;
import org.springframework.web.context.ServletContextAware;

/**
 * Sets the servlet container's default whole-message buffers, which every new WebSocket session (RoomKit's and
 * the application's other endpoints) starts with: Tomcat takes them from the I/O buffer size that
 * {@link TomcatWebSocketIoBuffers} makes small, so without this an application's own endpoint that wants whole
 * messages would refuse those over 2 KiB. RoomKit's sessions then size their own ({@link SessionBufferSizes}).
 * Like Spring's {@code ServletServerContainerFactoryBean}, but doing nothing when the context has no WebSocket
 * container (a mock servlet environment), instead of failing.
 */
public final class WebSocketContainerBuffers implements ServletContextAware {

    /** Tomcat's own default for whole text (characters) and binary (bytes) messages. */
    public static final int TOMCAT_DEFAULT = 8192;

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
