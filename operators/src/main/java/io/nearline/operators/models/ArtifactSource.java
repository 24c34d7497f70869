package io.nearline.operators.models;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;

import java.io.IOException;
import java.io.Serializable;
import java.net.URI;

/** Reads artifacts by URI scheme ({@code s3://} through {@link S3Options}, {@code file:}); ships with the job graph. */
public final class ArtifactSource implements Serializable {

    private static final long serialVersionUID = 1L;

    private final Configuration s3;

    public ArtifactSource(ReadableConfig config) {
        this.s3 = new Configuration();
        config.getOptional(S3Options.ENDPOINT).ifPresent(v -> s3.set(S3Options.ENDPOINT, v));
        s3.set(S3Options.PATH_STYLE_ACCESS, config.get(S3Options.PATH_STYLE_ACCESS));
        config.getOptional(S3Options.REGION).ifPresent(v -> s3.set(S3Options.REGION, v));
        config.getOptional(S3Options.ACCESS_KEY).ifPresent(v -> s3.set(S3Options.ACCESS_KEY, v));
        config.getOptional(S3Options.SECRET_KEY).ifPresent(v -> s3.set(S3Options.SECRET_KEY, v));
        s3.set(S3Options.RETRY_MODE, config.get(S3Options.RETRY_MODE));
        s3.set(S3Options.MAX_ATTEMPTS, config.get(S3Options.MAX_ATTEMPTS));
    }

    /** A store for the URI's scheme, to read, write and list; the caller closes it. */
    public ArtifactStore store(URI uri) throws BadArtifactException {
        String scheme = uri.getScheme();
        if ("file".equals(scheme)) {
            return new LocalArtifactStore();
        }
        if ("s3".equals(scheme) || "s3a".equals(scheme)) {
            return S3ArtifactStore.from(s3);
        }
        throw new BadArtifactException(BadArtifactException.Reason.MISSING, "unsupported URI scheme in " + uri);
    }

    public byte[] read(URI uri) throws IOException, BadArtifactException {
        try (ArtifactStore store = store(uri)) {
            return store.read(uri);
        }
    }
}
