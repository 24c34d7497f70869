package io.nearline.savepoints.cli;

import io.nearline.topology.cli.NearlineCli;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bin/nearline savepoint}: NearlineJob's savepoints, read and rewritten with the State Processor API. */
@Command(name = "savepoint", mixinStandardHelpOptions = true,
        subcommands = {InspectCommand.class, BootstrapCommand.class, RolloutCommand.class},
        description = "Inspect NearlineJob savepoints, bootstrap warm members, roll a new model out through one.")
public final class SavepointCli implements Runnable {

    public static void main(String[] args) {
        // The tools' local job cluster stops as soon as a job ends; the collecting client then warns, with a stack
        // trace, that it cannot ask for the job's status, although every result came with the job's end.
        Configurator.setLevel("org.apache.flink.streaming.api.operators.collect.CollectResultFetcher", Level.ERROR);
        System.exit(run(args));
    }

    public static int run(String... args) {
        return NearlineCli.execute(new SavepointCli(), args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "missing command: inspect, bootstrap or rollout");
    }
}
