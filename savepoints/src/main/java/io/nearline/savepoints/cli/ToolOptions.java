package io.nearline.savepoints.cli;

import io.nearline.operators.config.NearlineOptions;
import io.nearline.operators.models.ArtifactSource;
import io.nearline.operators.models.BadArtifactException;
import io.nearline.operators.models.ModelArtifact;
import io.nearline.operators.models.ModelArtifacts;
import io.nearline.operators.models.ModelOptions;
import io.nearline.operators.models.Publication;
import io.nearline.savepoints.MemberSavepoints;
import io.nearline.schemas.model.ArtifactDescriptor;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/** What the savepoint commands share (a picocli mixin): the job's options, the tool's parallelism, and checked paths. */
final class ToolOptions {

    @Option(names = "--parallelism", description = "Parallelism of the tool's batch job (default: ${DEFAULT-VALUE}).")
    int parallelism = 2;

    @Option(names = {"-D", "--set"}, description = "An option of docs/configuration.md, as the job runs with it (such as "
            + "nearline.models.rank=64, nearline.members.state-ttl, nearline.s3.endpoint); repeatable.")
    Map<String, String> settings = new LinkedHashMap<>();

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

    MemberSavepoints tools(CommandLine cli) {
        return new MemberSavepoints(config(cli), parallelism);
    }

    /** An existing savepoint: a folder with {@code _metadata} (or that file), as a URI. */
    static String savepoint(String value, String option, CommandLine cli) {
        if (value.contains("://") && !value.startsWith("file:")) {
            return value; // another file system: Flink checks it
        }
        Path path = value.startsWith("file:") ? Path.of(URI.create(value)) : Path.of(value).toAbsolutePath();
        if (Files.isRegularFile(path) && path.getFileName().toString().equals("_metadata")) {
            path = path.getParent();
        }
        if (!Files.isRegularFile(path.resolve("_metadata"))) {
            throw new CommandLine.ParameterException(cli, option + ": no savepoint at " + value + " (no _metadata file)");
        }
        return path.toUri().toString();
    }

    /** Where a new savepoint goes: a folder that does not exist yet or is empty, as a URI. */
    static String output(String value, String option, CommandLine cli) {
        if (value.contains("://") && !value.startsWith("file:")) {
            return value;
        }
        Path path = value.startsWith("file:") ? Path.of(URI.create(value)) : Path.of(value).toAbsolutePath();
        if (Files.exists(path)) {
            boolean empty;
            try (Stream<Path> entries = Files.isDirectory(path) ? Files.list(path) : Stream.of(path)) {
                empty = Files.isDirectory(path) && entries.findAny().isEmpty();
            } catch (IOException e) {
                empty = false;
            }
            if (!empty) {
                throw new CommandLine.ParameterException(cli, option + ": " + value + " exists and is not empty; "
                        + "a savepoint is never written over another");
            }
        }
        return path.toUri().toString();
    }

    static Duration duration(String value, String option, CommandLine cli) {
        try {
            Duration duration = org.apache.flink.util.TimeUtils.parseDuration(value);
            if (duration.isNegative()) {
                throw new IllegalArgumentException("negative");
            }
            return duration;
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cli, option + " must be a duration such as 5 min or 30 s, not '" + value + "'");
        }
    }

    /**
     * The descriptor of the model at {@code value}, read and checked as the job would (checksum, rank, name), so
     * that a model the job would reject never reaches a savepoint.
     */
    static ArtifactDescriptor model(String value, Configuration config, CommandLine cli) {
        String uri = value;
        if (!value.contains("://")) {
            Path path = Path.of(value).toAbsolutePath();
            if (!Files.isRegularFile(path)) {
                throw new CommandLine.ParameterException(cli, "--model: no file " + value);
            }
            uri = path.toUri().toString();
        } else if (!value.startsWith("file:") && !value.startsWith("s3://")) {
            throw new CommandLine.ParameterException(cli, "--model: only file and s3 URIs, not '" + value + "'");
        }
        byte[] bytes;
        ModelArtifact model;
        try {
            bytes = new ArtifactSource(config).read(URI.create(uri));
            model = ModelArtifacts.read(bytes, bytes.length, ModelArtifacts.sha256(bytes), config.get(ModelOptions.RANK));
        } catch (BadArtifactException e) {
            throw new CommandLine.ParameterException(cli, "--model: " + e.getMessage());
        } catch (IOException e) {
            throw new CommandLine.ParameterException(cli, "--model: could not read " + value + ": " + e.getMessage());
        }
        if (!model.name().equals(config.get(ModelOptions.NAME))) {
            throw new CommandLine.ParameterException(cli, "--model: model '" + model.name() + "' is not the one the job serves ('"
                    + config.get(ModelOptions.NAME) + "'; see " + ModelOptions.NAME.key() + ")");
        }
        return Publication.describe(model, bytes, uri, 1.0);
    }
}
