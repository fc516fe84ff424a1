package io.roomkit.pipeline;

import io.roomkit.ErrorCodes;
import io.roomkit.model.ChannelType;
import io.roomkit.model.DeleteContent;
import io.roomkit.model.EditContent;
import io.roomkit.model.EventType;
import io.roomkit.model.ParticipantRole;
import io.roomkit.model.RoomContext;
import io.roomkit.model.RoomEvent;
import io.roomkit.model.SystemContent;
import io.roomkit.model.Timestamps;
import io.roomkit.store.ConversationStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Who may edit or delete what (DESIGN §3), and what an allowed edit or delete does to the stored target.
 * Runs without a lock, before the hooks, on what the store holds then; a refusal stores nothing. The store checks
 * again at commit, under the room's lock, that the target was not deleted meanwhile.
 */
final class EditDeleteRules {

    /** The content a deleted message and its edit history are redacted to. */
    static final SystemContent TOMBSTONE = new SystemContent("This message was deleted.", "message_deleted", Map.of());

    private final ConversationStore store;
    private final ModeratorCheck moderatorCheck;

    EditDeleteRules(ConversationStore store, ModeratorCheck moderatorCheck) {
        this.store = store;
        this.moderatorCheck = moderatorCheck;
    }

    static boolean applies(RoomEvent event) {
        return event.type() == EventType.EDIT || event.type() == EventType.DELETE
                || event.content() instanceof EditContent || event.content() instanceof DeleteContent;
    }

    /** Validates an EDIT or DELETE event; the refusal code, or the target to mutate. */
    Decision check(RoomEvent event, RoomContext context) {
        boolean edit = event.type() == EventType.EDIT && event.content() instanceof EditContent;
        boolean delete = event.type() == EventType.DELETE && event.content() instanceof DeleteContent;
        if (!edit && !delete) {
            return Decision.refuse(ErrorCodes.CONTENT_TYPE_MISMATCH);
        }
        if (edit && (((EditContent) event.content()).newContent() instanceof EditContent
                || ((EditContent) event.content()).newContent() instanceof DeleteContent)) {
            return Decision.refuse(ErrorCodes.CONTENT_TYPE_MISMATCH);
        }
        RoomEvent target = store.getEvent(context.room().id(), event.targetEventId()).orElse(null);
        if (target == null) {
            return Decision.refuse(ErrorCodes.TARGET_EVENT_NOT_FOUND);
        }
        if (target.type() != EventType.MESSAGE) {
            return Decision.refuse(ErrorCodes.TARGET_NOT_EDITABLE);
        }
        String refusal = edit ? checkEdit(event, (EditContent) event.content(), target)
                : checkDelete(event, (DeleteContent) event.content(), target, context);
        return refusal == null ? Decision.allow(target) : Decision.refuse(refusal);
    }

    private static String checkEdit(RoomEvent event, EditContent edit, RoomEvent target) {
        if (target.isDeleted()) {
            return ErrorCodes.TARGET_DELETED;
        }
        if (EditContent.SYSTEM_SOURCE.equals(edit.editSource())) {
            return fromSystemChannel(event) ? null : ErrorCodes.NOT_AUTHORIZED;
        }
        return checkAuthor(event, target);
    }

    private String checkDelete(RoomEvent event, DeleteContent delete, RoomEvent target, RoomContext context) {
        if (target.isDeleted()) {
            return ErrorCodes.ALREADY_DELETED;
        }
        return switch (delete.deleteType()) {
            case SYSTEM -> fromSystemChannel(event) ? null : ErrorCodes.NOT_AUTHORIZED;
            case ADMIN -> isAdmin(event.source().participantId(), context) ? null : ErrorCodes.NOT_AUTHORIZED;
            case SENDER -> checkAuthor(event, target);
        };
    }

    private static String checkAuthor(RoomEvent event, RoomEvent target) {
        String sender = event.source().participantId();
        String author = target.source().participantId();
        if (sender == null || author == null) {
            return ErrorCodes.IDENTITY_REQUIRED;
        }
        return sender.equals(author) ? null : ErrorCodes.NOT_ORIGINAL_AUTHOR;
    }

    private static boolean fromSystemChannel(RoomEvent event) {
        return event.source().channelType() == ChannelType.SYSTEM;
    }

    private boolean isAdmin(String participantId, RoomContext context) {
        if (participantId == null) {
            return false;
        }
        boolean owner = context.participant(participantId)
                .filter(participant -> participant.isActive() && participant.role() == ParticipantRole.OWNER)
                .isPresent();
        return owner || moderatorCheck.isModerator(participantId, context);
    }

    /**
     * Hooks may modify an edit's new content or a delete's reason, but not retarget it: a modification that
     * changes the kind or the target is dropped in favour of the validated original.
     */
    static RoomEvent keepTarget(RoomEvent validated, RoomEvent afterHooks) {
        boolean sameKind = validated.content().getClass() == afterHooks.content().getClass();
        if (sameKind && Objects.equals(validated.targetEventId(), afterHooks.targetEventId())
                && !(afterHooks.content() instanceof EditContent edit
                        && (edit.newContent() instanceof EditContent || edit.newContent() instanceof DeleteContent))) {
            return afterHooks;
        }
        return afterHooks.toBuilder().content(validated.content()).build();
    }

    /** The stored events an allowed edit or delete replaces: the target, and for a delete its redacted edits. */
    List<RoomEvent> replacements(RoomEvent event, RoomEvent target) {
        if (event.content() instanceof EditContent edit) {
            return List.of(target.toBuilder().content(edit.newContent()).putMetadata("edited", true)
                    .putMetadata("edited_at", Timestamps.format(Timestamps.now())).build());
        }
        DeleteContent delete = (DeleteContent) event.content();
        String deletedBy = event.source().participantId() != null ? event.source().participantId()
                : event.source().channelId();
        List<RoomEvent> replacements = new ArrayList<>();
        replacements.add(target.toBuilder().content(TOMBSTONE).putMetadata("deleted", true)
                .putMetadata("delete_type", delete.deleteType().value()).putMetadata("deleted_by", deletedBy)
                .putMetadata("reason", delete.reason())
                .putMetadata("deleted_at", Timestamps.format(Timestamps.now())).build());
        for (RoomEvent priorEdit : store.listEdits(target.roomId(), target.id())) {
            if (priorEdit.content() instanceof EditContent edit) {
                replacements.add(priorEdit.toBuilder().content(edit.redactedWith(TOMBSTONE)).build());
            }
        }
        return replacements;
    }

    /** The outcome of {@link #check}: a refusal code, or the target. */
    record Decision(String refusal, RoomEvent target) {

        static Decision refuse(String code) {
            return new Decision(code, null);
        }

        static Decision allow(RoomEvent target) {
            return new Decision(null, target);
        }

        boolean refused() {
            return refusal != null;
        }
    }
}
