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
import io.nearline.operators.models.ArtifactSource;
import io.nearline.operators.similars.Catalog;
import io.nearline.operators.similars.CatalogArtifacts;
import io.nearline.topology.similars.SimilarsBuild;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
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
 * (name, version, kind, URI, SHA-256, size, traffic share) on the Kafka topic {@code published}; or, with
 * {@code --catalog}, reads a catalog file, stores its published form ({@link CatalogArtifacts}) and publishes that.
 */
@Command(name = "publish", mixinStandardHelpOptions = true,
        description = "Publishes a model artifact's descriptor so that running jobs load it, or a catalog (titles and "
                + "facets) for the online service.")
final class PublishCommand implements Callable<Integer> {

    /** What is published: a model artifact or a catalog. */
    static final class What {
        @Option(names = "--artifact", required = true, description = "A local file, file:// or s3:// URI of the model artifact.")
        String artifact;

        @Option(names = "--catalog", required = true, description = "A catalog file (u.item, movies.csv or JSON lines, as "
                + "bin/nearline similars reads), a path or URI; its published form goes to --upload-to, which it needs.")
        String catalog;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    What what;

    @Option(names = "--traffic-share", description = "Fraction of members this model version serves, 0 to 1 (default: 1).")
    Double trafficShare;

    @Option(names = "--upload-to", description = "A file:// or s3:// folder to copy the artifact to first, as "
            + "<folder>/<name>/<version>.avro (a catalog as <folder>/catalog/<version>.jsonl).")
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
        if (trafficShare != null && !(trafficShare >= 0 && trafficShare <= 1)) {
            throw new CommandLine.ParameterException(cli, "--traffic-share must be between 0 and 1, not " + trafficShare);
        }
        if (what.catalog != null && trafficShare != null) {
            throw new CommandLine.ParameterException(cli, "--traffic-share is for models; a catalog serves everyone");
        }
        if (what.catalog != null && uploadTo == null) {
            throw new CommandLine.ParameterException(cli, "--catalog needs --upload-to: the folder its published form is stored in");
        }
        URI source = toUri(what.catalog != null ? what.catalog : what.artifact, what.catalog != null ? "--catalog" : "--artifact");
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
        if (what.catalog != null) {
            return publishCatalog(cli, source, target, kafka);
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
        ArtifactDescriptor descriptor = Publication.describe(model, bytes, location.toString(), trafficShare == null ? 1.0 : trafficShare);
        Publication.announce(descriptor, bootstrapServers, topic, kafka);
        System.out.println("published " + descriptor.getName() + " " + descriptor.getVersion() + " (" + descriptor.getKind()
                + ", " + descriptor.getSizeBytes() + " bytes, sha256 " + descriptor.getSha256() + ", traffic share "
                + descriptor.getTrafficShare() + ") at " + descriptor.getUri() + " on topic " + topic);
        return 0;
    }

    private int publishCatalog(CommandLine cli, URI source, URI folder, Properties kafka) throws Exception {
        Catalog catalog;
        try {
            catalog = SimilarsBuild.readCatalog(source, new ArtifactSource(s3Config()));
        } catch (java.io.IOException | BadArtifactException | IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cli, "--catalog: " + e.getMessage());
        }
        byte[] bytes = CatalogArtifacts.write(catalog);
        URI location = CatalogArtifacts.location(folder, catalog);
        try (ArtifactStore to = store(location)) {
            to.write(location, bytes);
        }
        ArtifactDescriptor descriptor = CatalogArtifacts.describe(catalog, bytes, location);
        Publication.announce(descriptor, bootstrapServers, topic, kafka);
        System.out.println("published catalog " + descriptor.getVersion() + " (" + catalog.size() + " titles, facets "
                + catalog.facets() + ", " + bytes.length + " bytes, sha256 " + descriptor.getSha256() + ") at " + location
                + " on topic " + topic);
        return 0;
    }

    private ArtifactStore store(URI uri) {
        if ("file".equals(uri.getScheme())) {
            return new LocalArtifactStore();
        }
        return S3ArtifactStore.from(s3Config());
    }

    private Configuration s3Config() {
        Configuration config = new Configuration();
        if (s3Endpoint != null) {
            config.set(S3Options.ENDPOINT, s3Endpoint);
            config.set(S3Options.PATH_STYLE_ACCESS, true);
        }
        if (s3AccessKey != null) {
            config.set(S3Options.ACCESS_KEY, s3AccessKey);
            config.set(S3Options.SECRET_KEY, System.getenv("NEARLINE_S3_SECRET_KEY"));
        }
        return config;
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
        if (!option.equals("--upload-to") && !Files.isRegularFile(path)) {
            throw new CommandLine.ParameterException(new CommandLine(this), option + ": no file " + value);
        }
        return path.toUri();
    }
}
