package io.nearline.topology.cli;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the commands that run Flink jobs share: where the job runs, and input locations as URIs. */
final class JobEnvironments {

    private JobEnvironments() {}

    /** A Flink in this process, or the session cluster at {@code cluster} with the job jar shipped to it. */
    static StreamExecutionEnvironment create(URI cluster, Path jar, Configuration config, CommandLine cli) {
        if (cluster == null) {
            return StreamExecutionEnvironment.getExecutionEnvironment(config);
        }
        if (jar == null || !Files.isRegularFile(jar)) {
            throw new CommandLine.ParameterException(cli, "--jar: no job jar " + jar + " to ship to " + cluster);
        }
        if (cluster.getHost() == null || cluster.getPort() < 0) {
            throw new CommandLine.ParameterException(cli, "--cluster must be like http://host:port, not " + cluster);
        }
        return StreamExecutionEnvironment.createRemoteEnvironment(cluster.getHost(), cluster.getPort(), config, jar.toString());
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
