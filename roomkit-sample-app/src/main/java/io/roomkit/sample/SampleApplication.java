package io.roomkit.sample;

import io.roomkit.ErrorCodes;
import io.roomkit.RoomKit;
import io.roomkit.RoomKitException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;

import java.util.List;

/** The RoomKit sample chat application. */
@SpringBootApplication
public class SampleApplication {

    private static final Logger log = LoggerFactory.getLogger(SampleApplication.class);

    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }

    /** The rooms listed from the first start: the landing room and the assistant's room. */
    @Bean
    ApplicationRunner startRooms(RoomKit kit, @Value("${sample.start-rooms}") List<String> rooms) {
        return arguments -> rooms.forEach(room -> createIfMissing(kit, room));
    }

    private static void createIfMissing(RoomKit kit, String roomId) {
        if (kit.getRoom(roomId).isPresent()) {
            return;
        }
        try {
            kit.createRoom(roomId);
        }
        catch (RoomKitException ex) {
            if (!ErrorCodes.ROOM_EXISTS.equals(ex.code())) {
                throw ex;
            }
        }
    }

    @EventListener
    void announce(ApplicationReadyEvent ready) {
        if (ready.getApplicationContext() instanceof WebServerApplicationContext web) {
            log.info("RoomKit sample is running: open http://localhost:{}/", web.getWebServer().getPort());
        }
    }
}
