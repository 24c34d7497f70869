package io.nearline.topology.cli;

import picocli.CommandLine;

import java.util.List;
import picocli.CommandLine.Command;

/** The Java side of {@code bin/nearline}: one subcommand per tool. Bad arguments get one line naming them. */
@Command(name = "nearline", mixinStandardHelpOptions = true, subcommands = {CassandraCommand.class, PublishCommand.class, EvalCommand.class,
        TrainCommand.class, SimilarsCommand.class, DemoCommand.class, RowsCommand.class},
        description = "Nearline tools.")
public final class NearlineCli implements Runnable {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        return execute(new NearlineCli(), args);
    }

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
            return 2;
        });
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            command.getErr().println("nearline: " + e.getMessage());
            return 1;
        });
        return cli.execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "missing command: cassandra, publish, eval, train or similars");
    }
}
