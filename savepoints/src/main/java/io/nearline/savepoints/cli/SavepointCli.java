package io.nearline.savepoints.cli;

import io.nearline.operators.cli.CommandLines;
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
        // The tools run a local Flink whose warnings concern a cluster the user never sees (no web UI log file, no
        // delegation tokens, and a collecting client that cannot ask a stopped cluster for the status of a job
        // whose results it already has). Errors still show.
        Configurator.setLevel("org.apache.flink", Level.ERROR);
        System.exit(run(args));
    }

    public static int run(String... args) {
        return CommandLines.execute(new SavepointCli(), args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "missing command: inspect, bootstrap or rollout");
    }
}
