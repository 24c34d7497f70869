package io.nearline.topology.cli;

import picocli.CommandLine;
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
            e.getCommandLine().getErr().println("nearline: " + e.getMessage());
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
