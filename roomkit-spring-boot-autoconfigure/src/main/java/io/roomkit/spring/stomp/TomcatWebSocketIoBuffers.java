package io.roomkit.spring.stomp;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Sizes Tomcat's per-connection WebSocket I/O buffers (the frame input buffer and the output buffers of every
 * session, 8 KiB each by default) through the only setting Tomcat has for them, the system property
 * {@value #TOMCAT_PROPERTY}, from {@code roomkit.websocket.buffers.io-size} (2,048 bytes by default; 0 leaves
 * Tomcat's default). They hold the bytes of one read or one write, not a whole message, so a smaller size costs
 * more reads and writes for large frames and nothing else. Runs before the web server starts, so before Tomcat
 * reads the property; an explicit {@code -D} setting wins, and a JVM whose Tomcat WebSocket classes are already
 * initialised keeps their size. Tomcat also derives its default whole-message sizes from this property, which
 * {@link WebSocketContainerBuffers} puts back to 8 KiB for the application's other WebSocket endpoints.
 */
public final class TomcatWebSocketIoBuffers implements EnvironmentPostProcessor {

    /** Tomcat's system property for the buffer size. */
    public static final String TOMCAT_PROPERTY = "org.apache.tomcat.websocket.DEFAULT_BUFFER_SIZE";
    /** RoomKit's property. */
    public static final String PROPERTY = "roomkit.websocket.buffers.io-size";
    /** {@code roomkit.websocket.buffers.io-size} when unset. */
    public static final int DEFAULT_SIZE = 2048;

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!environment.getProperty("roomkit.enabled", Boolean.class, true)
                || System.getProperty(TOMCAT_PROPERTY) != null) {
            return;
        }
        int size = environment.getProperty(PROPERTY, Integer.class, DEFAULT_SIZE);
        if (size < 0) {
            throw new IllegalArgumentException(PROPERTY + " must be 0 (Tomcat's default) or a size in bytes, was "
                    + size);
        }
        if (size > 0) {
            System.setProperty(TOMCAT_PROPERTY, Integer.toString(size));
        }
    }
}
