package io.roomkit.spring.stomp.app;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The smallest application with the starter's stack: RoomKit, STOMP, JPA on H2. */
@SpringBootApplication
public class StompTestApplication {

    /** Runs a node in a process of its own, for the node-failure test. */
    public static void main(String[] args) {
        SpringApplication.run(StompTestApplication.class, args);
    }
}
