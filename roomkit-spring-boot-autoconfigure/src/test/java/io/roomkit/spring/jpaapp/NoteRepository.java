package io.roomkit.spring.jpaapp;

import org.springframework.data.jpa.repository.JpaRepository;

import java.util.List;

/** A Spring Data repository of the application. */
public interface NoteRepository extends JpaRepository<Note, Long> {

    List<Note> findByText(String text);
}
