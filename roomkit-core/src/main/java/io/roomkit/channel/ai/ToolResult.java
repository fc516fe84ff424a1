package io.roomkit.channel.ai;

/**
 * The outcome of one tool call.
 *
 * @param call   the call
 * @param text   the result as text, or the error message when it failed
 * @param failed whether the tool threw
 */
record ToolResult(ToolCall call, String text, boolean failed) {
}
