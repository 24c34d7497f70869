package io.nearline.operators.models;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/** Artifacts as local files ({@code file:} URIs). Writes go to a temporary file first, then move into place. */
public final class LocalArtifactStore implements ArtifactStore {

    @Override
    public byte[] read(URI uri) throws IOException, BadArtifactException {
        try {
            return Files.readAllBytes(Path.of(uri));
        } catch (NoSuchFileException e) {
            throw new BadArtifactException(BadArtifactException.Reason.MISSING, "no file " + uri, e);
        }
    }

    @Override
    public void write(URI uri, byte[] bytes) throws IOException {
        Path target = Path.of(uri);
        Files.createDirectories(target.toAbsolutePath().getParent());
        Path temporary = Files.createTempFile(target.toAbsolutePath().getParent(), ".artifact-", ".tmp");
        Files.write(temporary, bytes);
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public boolean exists(URI uri) {
        return Files.isRegularFile(Path.of(uri));
    }

    @Override
    public List<URI> list(URI folder) throws IOException {
        Path dir = Path.of(folder);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> !f.getFileName().toString().startsWith("."))
                    .sorted().map(Path::toUri).toList();
        }
    }
}
