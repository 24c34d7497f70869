package io.nearline.operators.similars;

import io.nearline.operators.models.ArtifactSource;
import io.nearline.operators.models.ArtifactStore;
import io.nearline.operators.models.BadArtifactException;
import io.nearline.operators.models.ModelArtifacts;
import io.nearline.schemas.model.ArtifactDescriptor;
import io.nearline.schemas.similars.SimilarTitles;

import java.io.IOException;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One published similars result in memory, for "because you watched" rows: each title's similar titles, best
 * first. Loaded whole and verified (the manifest against its descriptor, every shard against the manifest)
 * before it is used, so a bad upload is refused and the previous result stays.
 */
public final class SimilarsIndex {

    private final String algorithm;
    private final String version;
    private final Map<String, SimilarTitles> byTitle;

    SimilarsIndex(String algorithm, String version, Map<String, SimilarTitles> byTitle) {
        this.algorithm = algorithm;
        this.version = version;
        this.byTitle = byTitle;
    }

    public static SimilarsIndex load(ArtifactDescriptor descriptor, ArtifactSource source) throws BadArtifactException, IOException {
        URI manifestUri = URI.create(descriptor.getUri());
        try (ArtifactStore store = source.store(manifestUri)) {
            byte[] manifestBytes = store.read(manifestUri);
            verify(manifestBytes, descriptor.getSizeBytes(), descriptor.getSha256(), descriptor.getUri());
            SimilarsFiles.Manifest manifest = SimilarsFiles.readManifest(manifestBytes, descriptor.getUri());
            if (!manifest.algorithm().equals(descriptor.getName())) {
                throw new BadArtifactException(BadArtifactException.Reason.UNREADABLE, descriptor.getUri() + " is the result of "
                        + manifest.algorithm() + ", not " + descriptor.getName());
            }
            Map<String, SimilarTitles> byTitle = new HashMap<>();
            for (SimilarsFiles.Shard shard : manifest.shards()) {
                byte[] bytes = store.read(URI.create(shard.uri()));
                verify(bytes, shard.sizeBytes(), shard.sha256(), shard.uri());
                List<SimilarTitles> lists = SimilarsFiles.readShard(bytes, shard.uri());
                if (lists.size() != shard.titles()) {
                    throw new BadArtifactException(BadArtifactException.Reason.TRUNCATED, shard.uri() + " holds " + lists.size()
                            + " titles, the manifest says " + shard.titles());
                }
                for (SimilarTitles list : lists) {
                    if (list.getTitles().size() != list.getScores().size()) {
                        throw new BadArtifactException(BadArtifactException.Reason.UNREADABLE, shard.uri() + ": title "
                                + list.getTitleId() + " has " + list.getTitles().size() + " titles and " + list.getScores().size() + " scores");
                    }
                    byTitle.put(list.getTitleId(), list);
                }
            }
            return new SimilarsIndex(descriptor.getName(), descriptor.getVersion(), byTitle);
        }
    }

    private static void verify(byte[] bytes, long size, String sha256, String uri) throws BadArtifactException {
        if (bytes.length != size) {
            throw new BadArtifactException(BadArtifactException.Reason.TRUNCATED, uri + " has " + bytes.length + " bytes, expected " + size);
        }
        if (!ModelArtifacts.sha256(bytes).equals(sha256)) {
            throw new BadArtifactException(BadArtifactException.Reason.CHECKSUM_MISMATCH, uri + " does not match its SHA-256");
        }
    }

    public String algorithm() {
        return algorithm;
    }

    public String version() {
        return version;
    }

    public int size() {
        return byTitle.size();
    }

    /** The title's similar titles, best first, or null when the result has none for it. */
    public SimilarTitles similarTo(String titleId) {
        return byTitle.get(titleId);
    }
}
