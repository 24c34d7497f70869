package io.nearline.topology.cli;

import io.nearline.operators.offline.OfflineInteractions;
import io.nearline.operators.offline.Rated;
import io.nearline.topology.train.ModelTrainer;
import io.nearline.topology.train.TrainJob;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.URI;
import java.util.concurrent.Callable;

/**
 * {@code bin/nearline train}: TrainJob in this process (a local Flink) or on a session cluster, then the
 * evaluation gate and the publication. Exit code 0 when published (or trained with --no-publish), 3 when
 * the model was refused.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Trains the implicit-ALS model with TrainJob, evaluates it against the active model and publishes it.")
final class TrainCommand implements Callable<Integer> {

    static final class Input {
        @Option(names = "--ratings", required = true, description = "A ratings file (u.data or ratings.csv), local path or URI.")
        String ratings;

        @Option(names = "--archive", required = true, description = "The archive NearlineJob writes (file:// or s3:// folder).")
        String archive;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    @Option(names = "--no-publish", description = "Train and evaluate only: no artifact is written, nothing is published.")
    boolean noPublish;

    @Option(names = "--store-only", description = "Write the artifact if it passes the evaluation gate, but do not publish "
            + "it: for a rollout through a savepoint (bin/nearline savepoint rollout --model URI).")
    boolean storeOnly;

    @Mixin
    JobEnvironments job;

    @Override
    public Integer call() throws Exception {
        CommandLine cli = new CommandLine(this);
        if (noPublish && storeOnly) {
            throw new CommandLine.ParameterException(cli, "--no-publish and --store-only exclude each other");
        }
        Configuration config = job.config(cli);
        String source = input.ratings != null ? JobEnvironments.uri(input.ratings, "--ratings", cli)
                : JobEnvironments.uri(input.archive, "--archive", cli);
        StreamExecutionEnvironment env = job.environment(config, cli);
        DataStream<Rated> rated = input.ratings != null ? OfflineInteractions.ratings(env, config, source) : OfflineInteractions.archive(env, config, source);
        long start = System.nanoTime();
        ModelTrainer.Release release = noPublish ? ModelTrainer.Release.NONE
                : storeOnly ? ModelTrainer.Release.STORE : ModelTrainer.Release.PUBLISH;
        ModelTrainer.Outcome outcome = ModelTrainer.train(env, config, rated, release);
        System.out.printf(java.util.Locale.ROOT, "train: %d titles, rank %d, %.1f s%n", outcome.model().numItems(),
                outcome.model().rank(), (System.nanoTime() - start) / 1e9);
        System.out.println(outcome.message());
        return outcome.published() || noPublish || (storeOnly && outcome.location() != null) ? 0 : 3;
    }
}
