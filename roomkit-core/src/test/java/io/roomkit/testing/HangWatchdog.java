package io.roomkit.testing;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a body that must not hang; when it does, fails with a dump of every thread (printed to standard error as
 * well), so that a deadlock shows who waits for whom. The limit is a watchdog for hangs, not a timing assertion:
 * set it far above what the body ever needs.
 */
public final class HangWatchdog {

    private HangWatchdog() {
    }

    /** The body's result; an {@link AssertionError} with a thread dump when it runs past {@code limit}. */
    public static <T> T within(Duration limit, String what, Callable<T> body) throws Exception {
        FutureTask<T> task = new FutureTask<>(body);
        Thread runner = new Thread(task, "hang-watchdog-body");
        runner.setDaemon(true);
        runner.start();
        try {
            return task.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (TimeoutException ex) {
            String dump = threadDump();
            System.err.println("HANG: " + what + " still running after " + limit + "\n" + dump);
            runner.interrupt();
            throw new AssertionError(what + " hung (still running after " + limit + "); thread dump:\n" + dump);
        }
        catch (ExecutionException ex) {
            if (ex.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw (Error) ex.getCause();
        }
    }

    /** Every live thread with its stack and the locks it holds and waits for. */
    public static String threadDump() {
        StringBuilder dump = new StringBuilder();
        for (ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
            dump.append('"').append(info.getThreadName()).append("\" ").append(info.getThreadState());
            if (info.getLockName() != null) {
                dump.append(" on ").append(info.getLockName());
            }
            if (info.getLockOwnerName() != null) {
                dump.append(" owned by \"").append(info.getLockOwnerName()).append('"');
            }
            dump.append('\n');
            for (StackTraceElement frame : info.getStackTrace()) {
                dump.append("    at ").append(frame).append('\n');
            }
            dump.append('\n');
        }
        return dump.toString();
    }
}
