package io.roomkit.realtime;

import java.util.regex.Pattern;

/**
 * A subscription channel with {@code *} wildcards, such as {@code room:support-*}: {@code *} matches any run
 * of characters (Redis {@code PSUBSCRIBE} globbing without the other metacharacters). Room ids cannot
 * contain {@code *}, so a channel with one is always a pattern.
 */
public final class ChannelPattern {

    private final String pattern;
    private final Pattern regex;

    private ChannelPattern(String pattern) {
        this.pattern = pattern;
        StringBuilder regex = new StringBuilder();
        for (String literal : pattern.split("\\*", -1)) {
            if (!regex.isEmpty()) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(literal));
        }
        this.regex = Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    /** Whether {@code channel} is a pattern rather than a channel name. */
    public static boolean isPattern(String channel) {
        return channel.indexOf('*') >= 0;
    }

    public static ChannelPattern of(String pattern) {
        return new ChannelPattern(pattern);
    }

    public boolean matches(String channel) {
        return regex.matcher(channel).matches();
    }

    @Override
    public String toString() {
        return pattern;
    }
}
