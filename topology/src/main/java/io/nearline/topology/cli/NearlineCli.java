package io.nearline.topology.cli;

import io.nearline.operators.cli.CommandLines;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The Java side of {@code bin/nearline}: one subcommand per tool. Bad arguments get one line naming them. */
@Command(name = "nearline", mixinStandardHelpOptions = true, subcommands = {CassandraCommand.class, PublishCommand.class, EvalCommand.class,
        TrainCommand.class, SimilarsCommand.class, DemoCommand.class, RowsCommand.class, ClusterCommand.class,
        TopicsCommand.class},
        description = "Nearline tools.")
public final class NearlineCli implements Runnable {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        return CommandLines.execute(new NearlineCli(), args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "missing command: cassandra, publish, eval, train, similars, demo, rows, cluster or topics");
    }
}
