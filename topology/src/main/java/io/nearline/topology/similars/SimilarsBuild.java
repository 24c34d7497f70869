package io.nearline.topology.similars;

import io.nearline.operators.kafka.KafkaOptions;
import io.nearline.operators.models.ArtifactSource;
import io.nearline.operators.models.ArtifactStore;
import io.nearline.operators.models.BadArtifactException;
import io.nearline.operators.models.ModelArtifacts;
import io.nearline.operators.models.ModelOptions;
import io.nearline.operators.models.Publication;
import io.nearline.operators.offline.Rated;
import io.nearline.operators.similars.AlgorithmDocuments;
import io.nearline.operators.similars.AlgorithmSpec;
import io.nearline.operators.similars.BuildPlan;
import io.nearline.operators.similars.Catalog;
import io.nearline.operators.similars.CatalogArtifacts;
import io.nearline.operators.similars.CatalogReader;
import io.nearline.operators.similars.InvalidAlgorithmException;
import io.nearline.operators.similars.ShardOutcome;
import io.nearline.operators.similars.SimilarsFiles;
import io.nearline.operators.similars.SimilarsVersions;
import io.nearline.operators.similars.SimilarsOptions;
import io.nearline.schemas.model.ArtifactDescriptor;
import io.nearline.schemas.model.ArtifactKind;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a similars build end to end: reads the algorithm documents and the catalog, checks the plan before
 * anything runs, runs {@link SimilarsBuildJob}, writes each complete algorithm's manifest, announces the
 * chosen results and the catalog it read on the published topic, and sums up what was built, reused and failed.
 */
public final class SimilarsBuild {

    private SimilarsBuild() {}

    /** What one build did; {@code catalog} is the catalog's descriptor when it was published, else null. */
    public record Summary(List<String> built, List<String> reused, Map<String, String> failed,
            Map<String, SimilarsFiles.Manifest> manifests, List<ArtifactDescriptor> published, ArtifactDescriptor catalog) {

        /** The closing line. */
        public String line() {
            return "similars: built " + built.size() + " " + built + ", reused " + reused.size() + " " + reused + ", failed "
                    + failed.size() + (failed.isEmpty() ? " []" : " " + failed) + ", published " + published.size();
        }
    }

    /** The algorithm documents (*.yaml, *.yml, *.json) directly in a folder, on S3 or local. */
    public static List<AlgorithmSpec> readAlgorithms(URI folder, ArtifactSource artifacts)
            throws IOException, BadArtifactException, InvalidAlgorithmException {
        List<AlgorithmSpec> specs = new ArrayList<>();
        try (ArtifactStore store = artifacts.store(folder)) {
            for (URI uri : store.list(folder)) {
                String name = uri.getPath().substring(uri.getPath().lastIndexOf('/') + 1);
                if (name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json")) {
                    specs.add(AlgorithmDocuments.parse(name, new String(store.read(uri), StandardCharsets.UTF_8)));
                }
            }
        }
        if (specs.isEmpty()) {
            throw new InvalidAlgorithmException("no algorithm documents (*.yaml, *.yml, *.json) in " + folder);
        }
        return specs;
    }

    /** A catalog file, local or on S3 (with the u.genre or tags.csv beside it, when there is one). */
    public static Catalog readCatalog(URI location, ArtifactSource artifacts) throws IOException, BadArtifactException {
        if ("file".equals(location.getScheme())) {
            return CatalogReader.read(Path.of(location));
        }
        Path folder = Files.createTempDirectory("nearline-catalog");
        try (ArtifactStore store = artifacts.store(location)) {
            String path = location.toString();
            String name = path.substring(path.lastIndexOf('/') + 1);
            Files.write(folder.resolve(name), store.read(location));
            for (String sibling : List.of("u.genre", "tags.csv")) {
                URI uri = location.resolve(sibling);
                if (store.exists(uri)) {
                    Files.write(folder.resolve(sibling), store.read(uri));
                }
            }
            return CatalogReader.read(folder.resolve(name));
        } finally {
            try (var files = Files.walk(folder)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /**
     * Builds every algorithm; throws {@link InvalidAlgorithmException} before the job starts for a plan that
     * cannot be built.
     */
    public static Summary run(StreamExecutionEnvironment env, ReadableConfig config, Catalog catalog, List<AlgorithmSpec> specs,
            DataStream<Rated> viewing, boolean publish) throws Exception {
        BuildPlan plan = BuildPlan.of(specs, catalog);
        int shards = config.get(SimilarsOptions.SHARDS);
        Instant builtAt = Instant.now();
        List<ShardOutcome> outcomes = new ArrayList<>();
        try (CloseableIterator<ShardOutcome> results = SimilarsBuildJob
                .build(env, config, catalog, plan, plan.usesCoWatch() ? viewing : null, SimilarsBuildJob.cassandraSink(config, builtAt))
                .executeAndCollect("similars build")) {
            results.forEachRemaining(outcomes::add);
        }
        URI output = URI.create(config.get(SimilarsOptions.OUTPUT));
        ArtifactSource artifacts = new ArtifactSource(config);
        List<String> built = new ArrayList<>();
        List<String> reused = new ArrayList<>();
        Map<String, String> failed = new LinkedHashMap<>();
        Map<String, SimilarsFiles.Manifest> manifests = new LinkedHashMap<>();
        Map<String, URI> manifestUris = new LinkedHashMap<>();
        try (ArtifactStore store = artifacts.store(output)) {
            for (AlgorithmSpec spec : plan.ordered()) {
                List<ShardOutcome> mine = outcomes.stream().filter(o -> o.algorithm.equals(spec.name()))
                        .sorted(Comparator.comparingInt(o -> o.shard)).toList();
                ShardOutcome failure = mine.stream().filter(o -> o.status == ShardOutcome.Status.FAILED).findFirst().orElse(null);
                if (failure != null || mine.size() != shards) {
                    failed.put(spec.name(), failure != null ? "shard " + failure.shard + ": " + failure.message
                            : mine.size() + " of " + shards + " shards");
                    continue;
                }
                String key = mine.get(0).key;
                List<SimilarsFiles.Shard> files = mine.stream()
                        .map(o -> new SimilarsFiles.Shard(o.uri, o.sha256, o.sizeBytes, o.titles)).toList();
                SimilarsFiles.Manifest manifest = new SimilarsFiles.Manifest(spec.name(), spec.version(), key, files);
                URI uri = SimilarsFiles.manifestUri(SimilarsFiles.resultFolder(output, spec, key));
                store.write(uri, SimilarsFiles.writeManifest(manifest));
                manifests.put(spec.name(), manifest);
                manifestUris.put(spec.name(), uri);
                (mine.stream().anyMatch(o -> o.status == ShardOutcome.Status.BUILT) ? built : reused).add(spec.name());
            }
        }
        List<ArtifactDescriptor> published = new ArrayList<>();
        ArtifactDescriptor catalogDescriptor = null;
        if (publish) {
            catalogDescriptor = publishCatalog(config, catalog, output, artifacts);
            List<String> chosen = config.get(SimilarsOptions.PUBLISH);
            for (Map.Entry<String, SimilarsFiles.Manifest> entry : manifests.entrySet()) {
                if (!chosen.isEmpty() && !chosen.contains(entry.getKey())) {
                    continue;
                }
                byte[] bytes = SimilarsFiles.writeManifest(entry.getValue());
                ArtifactDescriptor descriptor = ArtifactDescriptor.newBuilder()
                        .setName(entry.getKey())
                        .setVersion(SimilarsVersions.published(entry.getValue().version(), entry.getValue().key()))
                        .setKind(ArtifactKind.SIMILARS)
                        .setUri(manifestUris.get(entry.getKey()).toString())
                        .setSha256(ModelArtifacts.sha256(bytes))
                        .setSizeBytes(bytes.length)
                        .setTrafficShare(1.0)
                        .setPublishedAt(Instant.now())
                        .build();
                Publication.announce(descriptor, config.get(KafkaOptions.BOOTSTRAP_SERVERS), config.get(ModelOptions.PUBLISHED_TOPIC),
                        Publication.clientProperties(config));
                published.add(descriptor);
            }
        }
        return new Summary(built, reused, failed, manifests, published, catalogDescriptor);
    }

    /**
     * Stores the catalog the build read under {@code <output>/catalog/} and announces it, for the online service's
     * galleries and title names: the catalog that similars were built from is the one the service should show.
     */
    private static ArtifactDescriptor publishCatalog(ReadableConfig config, Catalog catalog, URI output, ArtifactSource artifacts)
            throws Exception {
        byte[] bytes = CatalogArtifacts.write(catalog);
        URI location = CatalogArtifacts.location(output, catalog);
        try (ArtifactStore store = artifacts.store(location)) {
            if (!store.exists(location)) {
                store.write(location, bytes);
            }
        }
        ArtifactDescriptor descriptor = CatalogArtifacts.describe(catalog, bytes, location);
        Publication.announce(descriptor, config.get(KafkaOptions.BOOTSTRAP_SERVERS), config.get(ModelOptions.PUBLISHED_TOPIC),
                Publication.clientProperties(config));
        return descriptor;
    }
}
