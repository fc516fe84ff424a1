package io.roomkit.spring.stomp.app;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The smallest application with the starter's stack: RoomKit, STOMP, JPA on H2. */
@SpringBootApplication
public class StompTestApplication {
}
