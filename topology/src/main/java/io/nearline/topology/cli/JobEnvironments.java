package io.nearline.topology.cli;

import io.nearline.operators.config.NearlineOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the commands that run Flink jobs share (a picocli mixin): where the job runs, its parallelism and its
 * options, and input locations as URIs.
 */
final class JobEnvironments {

    @Option(names = "--cluster", description = "REST address of a Flink session cluster, such as http://127.0.0.1:8081 "
            + "(default: a Flink in this process).")
    URI cluster;

    @Option(names = "--jar", description = "The job jar to ship to the cluster (default: the one bin/nearline builds).")
    Path jar = System.getProperty("nearline.job.jar") == null ? null : Path.of(System.getProperty("nearline.job.jar"));

    @Option(names = "--parallelism", description = "Parallelism of the job (default: ${DEFAULT-VALUE}).")
    int parallelism = 2;

    @Option(names = {"-D", "--set"}, description = "An option of docs/configuration.md, such as nearline.train.rank=64; repeatable.")
    Map<String, String> settings = new LinkedHashMap<>();

    /** The options given with -D, checked. */
    Configuration config(CommandLine cli) {
        if (parallelism < 1) {
            throw new CommandLine.ParameterException(cli, "--parallelism must be at least 1, not " + parallelism);
        }
        try {
            return NearlineOptions.fromSettings(settings);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cli, "--set: " + e.getMessage());
        }
    }

    /** A Flink in this process, or the session cluster at --cluster with the job jar shipped to it. */
    StreamExecutionEnvironment environment(Configuration config, CommandLine cli) {
        StreamExecutionEnvironment env;
        if (cluster == null) {
            env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        } else {
            if (jar == null || !Files.isRegularFile(jar)) {
                throw new CommandLine.ParameterException(cli, "--jar: no job jar " + jar + " to ship to " + cluster);
            }
            if (cluster.getHost() == null || cluster.getPort() < 0) {
                throw new CommandLine.ParameterException(cli, "--cluster must be like http://host:port, not " + cluster);
            }
            env = StreamExecutionEnvironment.createRemoteEnvironment(cluster.getHost(), cluster.getPort(), config, jar.toString());
        }
        env.setParallelism(parallelism);
        return env;
    }

    /** A file or s3 URI as given, or a local path (which must exist) as a file URI. */
    static String uri(String value, String option, CommandLine cli) {
        if (value.contains("://")) {
            if (!value.startsWith("file:") && !value.startsWith("s3://")) {
                throw new CommandLine.ParameterException(cli, option + ": only file and s3 URIs, not '" + value + "'");
            }
            return value;
        }
        Path path = Path.of(value).toAbsolutePath();
        if (!Files.exists(path)) {
            throw new CommandLine.ParameterException(cli, option + ": no such file or folder " + value);
        }
        return path.toUri().toString();
    }
}
