package io.nearline.operators.members;

import io.nearline.operators.models.ModelArtifact;
import io.nearline.operators.models.ModelArtifacts;
import io.nearline.schemas.model.ArtifactDescriptor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

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

    Path folder() {
        return folder;
    }
}
