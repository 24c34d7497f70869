package io.nearline.topology.cli;

import io.nearline.topology.NearlineOptions;
import io.nearline.topology.train.ModelTrainer;
import io.nearline.topology.train.Records.Rated;
import io.nearline.topology.train.TrainJob;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
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

    @Option(names = "--cluster", description = "REST address of a Flink session cluster, such as http://127.0.0.1:8081 "
            + "(default: a Flink in this process).")
    URI cluster;

    @Option(names = "--jar", description = "The job jar to ship to the cluster (default: the one bin/nearline builds).")
    Path jar = System.getProperty("nearline.job.jar") == null ? null : Path.of(System.getProperty("nearline.job.jar"));

    @Option(names = "--parallelism", description = "Parallelism of the job (default: ${DEFAULT-VALUE}).")
    int parallelism = 2;

    @Option(names = "--no-publish", description = "Train and evaluate only: no artifact is written, nothing is published.")
    boolean noPublish;

    @Option(names = {"-D", "--set"}, description = "An option such as nearline.train.rank=64 (docs/configuration.md); repeatable.")
    Map<String, String> settings = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        CommandLine cli = new CommandLine(this);
        if (parallelism < 1) {
            throw new CommandLine.ParameterException(cli, "--parallelism must be at least 1, not " + parallelism);
        }
        Configuration config;
        try {
            config = NearlineOptions.fromSettings(settings);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cli, "--set: " + e.getMessage());
        }
        String source = input.ratings != null ? JobEnvironments.uri(input.ratings, "--ratings", cli)
                : JobEnvironments.uri(input.archive, "--archive", cli);
        StreamExecutionEnvironment env = JobEnvironments.create(cluster, jar, config, cli);
        env.setParallelism(parallelism);
        DataStream<Rated> rated = input.ratings != null ? TrainJob.ratings(env, config, source) : TrainJob.archive(env, config, source);
        long start = System.nanoTime();
        ModelTrainer.Outcome outcome = ModelTrainer.train(env, config, rated, !noPublish);
        System.out.printf(java.util.Locale.ROOT, "train: %d titles, rank %d, %.1f s%n", outcome.model().numItems(),
                outcome.model().rank(), (System.nanoTime() - start) / 1e9);
        System.out.println(outcome.message());
        return outcome.published() || noPublish ? 0 : 3;
    }
}
