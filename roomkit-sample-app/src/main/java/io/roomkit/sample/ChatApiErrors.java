package io.roomkit.sample;

import io.roomkit.ErrorCodes;
import io.roomkit.RoomKitException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import java.util.Map;

/** Failures of {@link ChatApiController} as {@code {code, message}} with a matching HTTP status. */
@RestControllerAdvice(assignableTypes = ChatApiController.class)
class ChatApiErrors {

    static final String INVALID_USER = "invalid_user";
    static final String INVALID_JSON = "invalid_json";
    static final String INTERNAL_ERROR = "internal_error";

    private static final Logger log = LoggerFactory.getLogger(ChatApiErrors.class);

    @ExceptionHandler
    ResponseEntity<Map<String, Object>> roomKit(RoomKitException error) {
        return error(statusOf(error.code()), error.code(), error.getMessage());
    }

    @ExceptionHandler
    ResponseEntity<Map<String, Object>> unreadable(HttpMessageNotReadableException error) {
        return error(HttpStatus.BAD_REQUEST, INVALID_JSON, "The request body is not a JSON object");
    }

    @ExceptionHandler
    ResponseEntity<Map<String, Object>> unexpected(RuntimeException error) {
        log.error("Chat API request failed", error);
        return error(HttpStatus.INTERNAL_SERVER_ERROR, INTERNAL_ERROR, "The server could not process the request");
    }

    private static HttpStatus statusOf(String code) {
        return switch (code) {
            case ErrorCodes.ROOM_NOT_FOUND, ErrorCodes.EVENT_NOT_FOUND -> HttpStatus.NOT_FOUND;
            case ErrorCodes.ROOM_EXISTS -> HttpStatus.CONFLICT;
            case ErrorCodes.INVALID_ROOM_ID, ErrorCodes.INVALID_ARGUMENT, ErrorCodes.INVALID_CONTENT, INVALID_USER ->
                HttpStatus.BAD_REQUEST;
            default -> HttpStatus.UNPROCESSABLE_CONTENT;
        };
    }

    private static ResponseEntity<Map<String, Object>> error(HttpStatus status, String code, String message) {
        return ResponseEntity.status(status).body(Map.of("code", code, "message", message));
    }
}
