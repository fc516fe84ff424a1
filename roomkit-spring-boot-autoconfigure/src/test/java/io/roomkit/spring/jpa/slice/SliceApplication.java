package io.roomkit.spring.jpa.slice;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The application a {@code @DataJpaTest} in this package finds, as a user's test would. */
@SpringBootApplication
public class SliceApplication {
}
