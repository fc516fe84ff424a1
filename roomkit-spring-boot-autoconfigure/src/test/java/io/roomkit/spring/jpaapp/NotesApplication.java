package io.roomkit.spring.jpaapp;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.persistence.autoconfigure.EntityScan;

/**
 * An application with its own entities and repositories. Its {@code @EntityScan} names only its own package,
 * which turns off Boot's default entity scanning; the RoomKit store must still find its entities. It lives
 * outside {@code io.roomkit.spring.jpa} so that the other test applications do not scan its entity.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@EntityScan(basePackageClasses = Note.class)
public class NotesApplication {
}
