package io.nearline.operators.models;

import java.io.IOException;
import java.net.URI;
import java.util.List;

/** Where artifacts live: S3 in production, local files for development. Artifacts are written once. */
public interface ArtifactStore extends AutoCloseable {

    /** The whole artifact; {@link BadArtifactException.Reason#MISSING} if there is none at the URI. */
    byte[] read(URI uri) throws IOException, BadArtifactException;

    void write(URI uri, byte[] bytes) throws IOException;

    /** Whether an artifact is stored at the URI. */
    boolean exists(URI uri) throws IOException;

    /** The artifacts directly in a folder (not in its sub-folders), sorted by URI. */
    List<URI> list(URI folder) throws IOException;

    @Override
    default void close() {}
}
