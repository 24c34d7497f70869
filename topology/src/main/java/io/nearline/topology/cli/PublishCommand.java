package io.nearline.topology.cli;

import io.nearline.operators.config.NearlineOptions;
import io.nearline.operators.kafka.KafkaClientProperties;
import io.nearline.operators.models.ArtifactStore;
import io.nearline.operators.models.BadArtifactException;
import io.nearline.operators.models.LocalArtifactStore;
import io.nearline.operators.models.ModelArtifact;
import io.nearline.operators.models.ModelArtifacts;
import io.nearline.operators.models.Publication;
import io.nearline.operators.models.S3ArtifactStore;
import io.nearline.operators.models.S3Options;
import io.nearline.schemas.model.ArtifactDescriptor;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;

/**
 * {@code bin/nearline publish}: checks a model artifact, uploads it if asked, and publishes its descriptor
 * (name, version, kind, URI, SHA-256, size, traffic share) on the Kafka topic {@code published}.
 */
@Command(name = "publish", mixinStandardHelpOptions = true,
        description = "Publishes a model artifact's descriptor so that running jobs load it.")
final class PublishCommand implements Callable<Integer> {

    @Option(names = "--artifact", required = true, description = "A local file, file:// or s3:// URI of the artifact.")
    String artifact;

    @Option(names = "--traffic-share", description = "Fraction of members this version serves, 0 to 1 (default: ${DEFAULT-VALUE}).")
    double trafficShare = 1.0;

    @Option(names = "--upload-to", description = "A file:// or s3:// folder to copy the artifact to first, as <folder>/<name>/<version>.avro.")
    String uploadTo;

    @Option(names = "--bootstrap-servers", description = "Kafka (default: ${DEFAULT-VALUE}).")
    String bootstrapServers = "127.0.0.1:" + System.getenv().getOrDefault("NEARLINE_KAFKA_PORT", "9092");

    @Option(names = "--topic", description = "Topic of descriptors (default: ${DEFAULT-VALUE}).")
    String topic = "published";

    @Option(names = {"-D", "--set"}, description = "A nearline.kafka.* option of docs/configuration.md, such as "
            + "nearline.kafka.sasl.username=nearline (passwords from NEARLINE_KAFKA_PASSWORD and "
            + "NEARLINE_KAFKA_TRUSTSTORE_PASSWORD); repeatable.")
    Map<String, String> settings = new LinkedHashMap<>();

    @Option(names = "--s3-endpoint", description = "S3-compatible endpoint, with path-style access (default: AWS).")
    String s3Endpoint;

    @Option(names = "--s3-access-key", description = "S3 access key; the secret comes from NEARLINE_S3_SECRET_KEY. "
            + "Without it, the AWS SDK's default credentials are used.")
    String s3AccessKey;

    @Override
    public Integer call() throws Exception {
        CommandLine cli = new CommandLine(this);
        if (!(trafficShare >= 0 && trafficShare <= 1)) {
            throw new CommandLine.ParameterException(cli, "--traffic-share must be between 0 and 1, not " + trafficShare);
        }
        URI source = toUri(artifact, "--artifact");
        URI target = uploadTo == null ? null : toUri(uploadTo, "--upload-to");
        if (s3AccessKey != null && System.getenv("NEARLINE_S3_SECRET_KEY") == null) {
            throw new CommandLine.ParameterException(cli, "--s3-access-key needs the secret in NEARLINE_S3_SECRET_KEY");
        }
        Properties kafka;
        try {
            kafka = KafkaClientProperties.from(NearlineOptions.fromSettings(settings));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cli, "--set: " + e.getMessage());
        }
        byte[] bytes;
        try (ArtifactStore from = store(source)) {
            bytes = from.read(source);
        } catch (BadArtifactException e) {
            throw new CommandLine.ParameterException(cli, "--artifact: " + e.getMessage());
        }
        ModelArtifact model;
        try {
            model = ModelArtifacts.read(bytes, bytes.length, ModelArtifacts.sha256(bytes), 0);
        } catch (BadArtifactException e) {
            throw new CommandLine.ParameterException(cli, "--artifact is not a valid model artifact: " + e.getMessage());
        }
        URI location = source;
        if (target != null) {
            String folder = target.toString().replaceAll("/+$", "");
            location = URI.create(folder + "/" + model.metadata().getName() + "/" + model.metadata().getVersion() + ".avro");
            try (ArtifactStore to = store(location)) {
                to.write(location, bytes);
            }
        }
        ArtifactDescriptor descriptor = Publication.describe(model, bytes, location.toString(), trafficShare);
        Publication.announce(descriptor, bootstrapServers, topic, kafka);
        System.out.println("published " + descriptor.getName() + " " + descriptor.getVersion() + " (" + descriptor.getKind()
                + ", " + descriptor.getSizeBytes() + " bytes, sha256 " + descriptor.getSha256() + ", traffic share "
                + descriptor.getTrafficShare() + ") at " + descriptor.getUri() + " on topic " + topic);
        return 0;
    }

    private ArtifactStore store(URI uri) {
        if ("file".equals(uri.getScheme())) {
            return new LocalArtifactStore();
        }
        Configuration config = new Configuration();
        if (s3Endpoint != null) {
            config.set(S3Options.ENDPOINT, s3Endpoint);
            config.set(S3Options.PATH_STYLE_ACCESS, true);
        }
        if (s3AccessKey != null) {
            config.set(S3Options.ACCESS_KEY, s3AccessKey);
            config.set(S3Options.SECRET_KEY, System.getenv("NEARLINE_S3_SECRET_KEY"));
        }
        return S3ArtifactStore.from(config);
    }

    private URI toUri(String value, String option) {
        if (value.startsWith("s3://") || value.startsWith("file:")) {
            URI uri = URI.create(value);
            if ("s3".equals(uri.getScheme()) && (uri.getHost() == null || uri.getHost().isBlank())) {
                throw new CommandLine.ParameterException(new CommandLine(this), option + ": '" + value + "' names no bucket");
            }
            return uri;
        }
        if (value.contains("://")) {
            throw new CommandLine.ParameterException(new CommandLine(this), option + ": only file and s3 URIs, not '" + value + "'");
        }
        Path path = Path.of(value).toAbsolutePath();
        if (option.equals("--artifact") && !Files.isRegularFile(path)) {
            throw new CommandLine.ParameterException(new CommandLine(this), option + ": no file " + value);
        }
        return path.toUri();
    }
}
