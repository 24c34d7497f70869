package io.nearline.operators.members;

import io.nearline.operators.models.ModelArtifact;
import io.nearline.operators.models.ModelArtifacts;
import io.nearline.operators.similars.SimilarsFiles;
import io.nearline.schemas.model.ArtifactDescriptor;
import io.nearline.schemas.similars.SimilarTitles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Writes model artifacts to a folder and describes them as {@code bin/nearline publish} would. */
final class PublishedModels {

    private final Path folder;
    private long clock = Instant.parse("2026-11-22T00:00:00Z").toEpochMilli();

    PublishedModels(Path folder) {
        this.folder = folder;
    }

    ArtifactDescriptor publish(ModelArtifact model, double share) throws IOException {
        byte[] bytes = ModelArtifacts.write(model);
        Path file = folder.resolve(model.name() + "-" + model.version() + ".avro");
        Files.write(file, bytes);
        return describe(model.name(), model.version(), file, bytes, share);
    }

    /** A descriptor for bytes as written, which may be broken on purpose; size and checksum as given. */
    ArtifactDescriptor describe(String name, String version, Path file, byte[] announced, double share) {
        clock += 1000;
        return ArtifactDescriptor.newBuilder()
                .setName(name).setVersion(version)
                .setKind(io.nearline.schemas.model.ArtifactKind.MODEL)
                .setUri(file.toUri().toString())
                .setSha256(ModelArtifacts.sha256(announced))
                .setSizeBytes(announced.length)
                .setTrafficShare(share)
                .setPublishedAt(Instant.ofEpochMilli(clock))
                .build();
    }

    /** Writes a similars result (one shard and its manifest) with these lists, as the similars build would. */
    ArtifactDescriptor publishSimilars(String algorithm, String version, Map<String, List<String>> lists) throws IOException {
        List<SimilarTitles> records = new ArrayList<>();
        lists.forEach((title, similar) -> {
            List<Float> scores = new ArrayList<>();
            for (int i = 0; i < similar.size(); i++) {
                scores.add(1f / (i + 1));
            }
            records.add(new SimilarTitles(algorithm, version, title, similar, scores));
        });
        byte[] shard = SimilarsFiles.writeShard(records);
        Path shardFile = folder.resolve(algorithm + "-" + version + "-shard.avro");
        Files.write(shardFile, shard);
        byte[] manifest = SimilarsFiles.writeManifest(new SimilarsFiles.Manifest(algorithm, version, "0".repeat(64), List.of(
                new SimilarsFiles.Shard(shardFile.toUri().toString(), ModelArtifacts.sha256(shard), shard.length, records.size()))));
        Path manifestFile = folder.resolve(algorithm + "-" + version + "-manifest.json");
        Files.write(manifestFile, manifest);
        ArtifactDescriptor descriptor = describe(algorithm, version, manifestFile, manifest, 1.0);
        descriptor.setKind(io.nearline.schemas.model.ArtifactKind.SIMILARS);
        return descriptor;
    }

    Path folder() {
        return folder;
    }
}
