package io.nearline.operators.cli;

import picocli.CommandLine;

import java.util.List;

/**
 * How every Nearline command line ends: a problem is one line starting "nearline: " and a non-zero exit code. Shared
 * by {@code bin/nearline}'s tools, the savepoint tools and the online service, which do not depend on one another.
 */
public final class CommandLines {

    /** The exit code of a run that failed. */
    public static final int FAILED = 1;
    /** The exit code of bad arguments: nothing was run. */
    public static final int BAD_ARGUMENTS = 2;

    private CommandLines() {}

    /** Runs a picocli command with Nearline's handling of errors: one line naming the problem, a non-zero exit. */
    public static int execute(Object root, String... args) {
        CommandLine cli = new CommandLine(root);
        cli.setParameterExceptionHandler((e, a) -> {
            String message = e.getMessage();
            List<String> unmatched = e.getCommandLine().getUnmatchedArguments();
            if (e instanceof CommandLine.MissingParameterException && !unmatched.isEmpty()) {
                // picocli checks required options before unknown ones; a misspelt required option is the likely cause.
                message = "Unknown option: '" + unmatched.get(0) + "'; " + message;
            }
            e.getCommandLine().getErr().println("nearline: " + message);
            return BAD_ARGUMENTS;
        });
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            command.getErr().println("nearline: " + e.getMessage());
            return FAILED;
        });
        return cli.execute(args);
    }
}
