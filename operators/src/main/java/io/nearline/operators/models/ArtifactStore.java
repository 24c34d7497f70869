package io.nearline.operators.models;

import java.io.IOException;
import java.net.URI;

/** Where artifacts live: S3 in production, local files for development. Artifacts are written once. */
public interface ArtifactStore extends AutoCloseable {

    /** The whole artifact; {@link BadArtifactException.Reason#MISSING} if there is none at the URI. */
    byte[] read(URI uri) throws IOException, BadArtifactException;

    void write(URI uri, byte[] bytes) throws IOException;

    @Override
    default void close() {}
}
