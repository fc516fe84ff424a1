package io.roomkit.spring.jpa;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.ArrayList;
import java.util.List;

/** A bare application with Boot's auto-configuration, started against a given database. */
@SpringBootConfiguration
@EnableAutoConfiguration
public class JpaTestApplication {

    /** Starts a context on {@code url}; Hibernate only validates, so the schema scripts must be right. */
    public static ConfigurableApplicationContext start(String url, String... extraProperties) {
        List<String> properties = new ArrayList<>(List.of("spring.datasource.url=" + url,
                "spring.datasource.username=" + (url.startsWith("jdbc:postgresql") ? "postgres" : "sa"),
                "spring.jpa.hibernate.ddl-auto=validate", "spring.jpa.open-in-view=false",
                "roomkit.jdbc.initialize-schema=always", "spring.main.banner-mode=off",
                "logging.level.root=warn"));
        properties.addAll(List.of(extraProperties));
        return new SpringApplicationBuilder(JpaTestApplication.class).web(WebApplicationType.NONE)
                .properties(properties.toArray(String[]::new)).run();
    }
}
