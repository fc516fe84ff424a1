package io.roomkit.spring.boot;

/**
 * Start-up refused because the RoomKit properties ask for a combination that cannot work. It carries what is wrong
 * and what to change separately, so that {@link RoomKitConfigurationFailureAnalyzer} can print them as Spring Boot
 * prints its own configuration failures.
 */
public class RoomKitConfigurationException extends IllegalStateException {

    private final String action;

    /**
     * @param description what is wrong, naming the properties
     * @param action      what to change
     */
    public RoomKitConfigurationException(String description, String action) {
        super(description + ": " + action);
        this.action = action;
    }

    /** What is wrong, naming the properties. */
    public String description() {
        String message = getMessage();
        return message.substring(0, message.length() - action.length() - 2);
    }

    /** What to change. */
    public String action() {
        return action;
    }
}
