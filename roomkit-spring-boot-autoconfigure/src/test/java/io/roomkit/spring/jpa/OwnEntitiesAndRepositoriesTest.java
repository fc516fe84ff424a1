package io.roomkit.spring.jpa;

import io.roomkit.RoomKit;
import io.roomkit.channel.WebSocketChannel;
import io.roomkit.model.EventQuery;
import io.roomkit.model.InboundMessage;
import io.roomkit.model.RoomEvent;
import io.roomkit.model.TextContent;
import io.roomkit.spring.jpaapp.Note;
import io.roomkit.spring.jpaapp.NoteRepository;
import io.roomkit.spring.jpaapp.NotesApplication;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.metamodel.EntityType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.persistence.autoconfigure.EntityScanPackages;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.repository.Repository;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** An application with its own {@code @EntityScan}, entity and Spring Data repository, and the RoomKit store. */
class OwnEntitiesAndRepositoriesTest {

    private static ConfigurableApplicationContext context;

    @BeforeAll
    static void start() {
        context = new SpringApplicationBuilder(NotesApplication.class).web(WebApplicationType.NONE)
                .properties("spring.datasource.url=jdbc:h2:mem:own-entities;DB_CLOSE_DELAY=-1",
                        "spring.jpa.hibernate.ddl-auto=update", "spring.jpa.open-in-view=false",
                        "spring.main.banner-mode=off", "logging.level.root=warn")
                .run();
    }

    @AfterAll
    static void stop() {
        context.close();
    }

    @Test
    void entityScanNamesOnlyTheApplicationsPackage() {
        assertThat(EntityScanPackages.get(context.getBeanFactory()).getPackageNames())
                .containsExactly(Note.class.getPackageName());
    }

    @Test
    void applicationRepositorySavesAndFindsNotes() {
        NoteRepository notes = context.getBean(NoteRepository.class);

        Note saved = notes.save(new Note("buy milk"));

        assertThat(saved.getId()).isNotNull();
        assertThat(notes.findById(saved.getId())).map(Note::getText).contains("buy milk");
        assertThat(notes.findByText("buy milk")).extracting(Note::getId).containsExactly(saved.getId());
    }

    @Test
    void roomKitStoreWorksInTheSameContext() {
        RoomKit kit = context.getBean(RoomKit.class);
        assertThat(kit.store()).isInstanceOf(JpaConversationStore.class);
        kit.registerChannelIfAbsent(new WebSocketChannel("ws-alice"));

        RoomEvent stored = kit.processInbound(InboundMessage.text("ws-alice", "alice", "hi"), "notes-room").event();

        assertThat(kit.events("notes-room", EventQuery.latest(10))).singleElement().satisfies(event -> {
            assertThat(event.id()).isEqualTo(stored.id());
            assertThat(event.content()).isEqualTo(new TextContent("hi"));
        });
    }

    @Test
    void persistenceUnitManagesTheApplicationsEntityAndTheStoresEntities() {
        EntityManagerFactory emf = context.getBean(EntityManagerFactory.class);
        List<Class<?>> managed = emf.getMetamodel().getEntities().stream().<Class<?>>map(EntityType::getJavaType)
                .toList();

        assertThat(managed).contains(Note.class, RoomEntity.class, BindingEntity.class, ParticipantEntity.class,
                EventEntity.class, ReadMarkerEntity.class);
    }

    @Test
    void roomKitAddsNoRepositories() {
        assertThat(context.getBeansOfType(Repository.class)).containsOnlyKeys("noteRepository");
    }
}
