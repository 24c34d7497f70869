package io.nearline.operators.members;

import io.nearline.operators.models.ActiveModels;
import io.nearline.operators.models.ArtifactSource;
import io.nearline.operators.models.ModelArtifact;
import io.nearline.operators.models.ModelCache;
import io.nearline.schemas.model.ArtifactDescriptor;
import io.nearline.schemas.model.ArtifactKind;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The retained versions of the job's model and their traffic shares ({@link ActiveModels}). A version with a share
 * of 0 is retired. After a restore no version serves until every restored one is loaded or rejected (members
 * wait), so an older version that happens to load first never stands in for the newer one that served before.
 */
final class ModelVersions extends RetainedPublications<ModelArtifact, ActiveModels> {

    private static final Logger LOG = LoggerFactory.getLogger(ModelVersions.class);

    private final String modelName;
    private final int expectedRank;
    private final ModelCache cache;
    private final ArtifactSource artifacts;

    /** @param metrics the group {@code models}: counters {@code loaded}, {@code rejected}, gauge {@code active} */
    ModelVersions(String task, String modelName, int expectedRank, int retainedVersions, ModelCache cache,
            ArtifactSource artifacts, MetricGroup metrics) {
        super(task, "model", "the previous model stays active", retainedVersions, true, ActiveModels.none(), metrics);
        this.modelName = modelName;
        this.expectedRank = expectedRank;
        this.cache = cache;
        this.artifacts = artifacts;
        metrics.gauge("active", () -> serving().versions().size());
    }

    /** Whether a published descriptor is a version of the job's model. */
    boolean serves(ArtifactDescriptor descriptor) {
        return descriptor.getKind() == ArtifactKind.MODEL && modelName.equals(descriptor.getName());
    }

    @Override
    void publish(ArtifactDescriptor descriptor, BroadcastState<String, ArtifactDescriptor> state) throws Exception {
        if (!(descriptor.getTrafficShare() >= 0 && descriptor.getTrafficShare() <= 1)) {
            reject(descriptor, "traffic share " + descriptor.getTrafficShare() + " is not between 0 and 1");
        } else if (descriptor.getTrafficShare() == 0) {
            LOG.info("retiring model {} {}", descriptor.getName(), descriptor.getVersion());
            retire(descriptor, state);
        } else {
            super.publish(descriptor, state);
        }
    }

    @Override
    boolean isOurs(ArtifactDescriptor descriptor) {
        // Any model's: broadcast state holds only this job's, and a restore loads what it holds.
        return descriptor.getKind() == ArtifactKind.MODEL;
    }

    @Override
    CompletableFuture<ModelArtifact> load(ArtifactDescriptor descriptor) {
        return cache.get(descriptor, expectedRank, artifacts);
    }

    @Override
    String describe(ArtifactDescriptor descriptor, ModelArtifact model) {
        return "(" + model.numItems() + " items, rank " + model.rank() + "), traffic share " + descriptor.getTrafficShare();
    }

    @Override
    ActiveModels serve(List<ArtifactDescriptor> newestFirst, Map<String, ModelArtifact> loaded, ActiveModels current) {
        return ActiveModels.of(modelName, newestFirst, loaded);
    }
}
