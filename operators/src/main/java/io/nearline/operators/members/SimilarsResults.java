package io.nearline.operators.members;

import io.nearline.operators.models.ArtifactSource;
import io.nearline.operators.models.ModelCache;
import io.nearline.operators.similars.SimilarsIndex;
import io.nearline.schemas.model.ArtifactDescriptor;
import io.nearline.schemas.model.ArtifactKind;
import org.apache.flink.metrics.MetricGroup;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The retained results of the similars algorithm that fills "because you watched" rows. One serves at a time:
 * the newest that is loaded. A newer one replaces it only once loaded, and an older one finishing late never does,
 * so a rejected publication, also after a restore, leaves the previous result serving.
 */
final class SimilarsResults extends RetainedPublications<SimilarsIndex, SimilarsIndex> {

    private final String algorithm;
    private final ModelCache cache;
    private final ArtifactSource artifacts;

    /** @param metrics the group {@code similars}: counters {@code loaded}, {@code rejected} */
    SimilarsResults(String task, String algorithm, int retainedVersions, ModelCache cache, ArtifactSource artifacts,
            MetricGroup metrics) {
        super(task, "similars", "the previous similars stay", retainedVersions, false, null, metrics);
        this.algorithm = algorithm;
        this.cache = cache;
        this.artifacts = artifacts;
    }

    @Override
    boolean isOurs(ArtifactDescriptor descriptor) {
        return descriptor.getKind() == ArtifactKind.SIMILARS && algorithm.equals(descriptor.getName());
    }

    @Override
    CompletableFuture<SimilarsIndex> load(ArtifactDescriptor descriptor) {
        return cache.get(descriptor, () -> SimilarsIndex.load(descriptor, artifacts));
    }

    @Override
    String describe(ArtifactDescriptor descriptor, SimilarsIndex index) {
        return "(" + index.size() + " titles)";
    }

    @Override
    SimilarsIndex serve(List<ArtifactDescriptor> newestFirst, Map<String, SimilarsIndex> loaded, SimilarsIndex current) {
        for (ArtifactDescriptor descriptor : newestFirst) {
            SimilarsIndex index = loaded.get(ModelCache.key(descriptor));
            if (index != null) {
                return index;
            }
        }
        // None of the retained ones loaded (yet): what served goes on serving.
        return current;
    }
}
