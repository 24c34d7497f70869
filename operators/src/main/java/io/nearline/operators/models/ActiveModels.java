package io.nearline.operators.models;

import io.nearline.schemas.model.ArtifactDescriptor;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The loaded versions of one model and their traffic shares, newest publication first: an immutable
 * snapshot, replaced whole when a version is loaded or retired, so a switch is atomic. Cells are filled
 * newest first: the newest version takes its share of members, the next takes its share of what is left,
 * and so on; the oldest loaded version takes whatever remains. Publishing v2 at 0.1 over v1 at 1.0 thus
 * gives v2 10% and v1 90%; publishing v2 at 1.0 moves everyone; a rejected or still loading version has
 * no cell, so its members stay on the previous one.
 */
public final class ActiveModels {

    /** A loaded version and its descriptor. */
    public record Version(ArtifactDescriptor descriptor, ModelArtifact artifact) {}

    private static final ActiveModels NONE = new ActiveModels("", List.of());

    private final String experiment;
    private final List<Version> newestFirst;

    private ActiveModels(String experiment, List<Version> newestFirst) {
        this.experiment = experiment;
        this.newestFirst = newestFirst;
    }

    public static ActiveModels none() {
        return NONE;
    }

    /** The order in which versions take their shares: newest publication first, then version. */
    public static final Comparator<ArtifactDescriptor> NEWEST_FIRST = Comparator
            .comparing(ArtifactDescriptor::getPublishedAt).thenComparing(ArtifactDescriptor::getVersion).reversed();

    /** A snapshot of those descriptors whose artifacts are loaded. */
    public static ActiveModels of(String experiment, Collection<ArtifactDescriptor> descriptors, Map<String, ModelArtifact> loaded) {
        List<Version> versions = new ArrayList<>();
        descriptors.stream().sorted(NEWEST_FIRST).forEach(d -> {
            ModelArtifact artifact = loaded.get(ModelCache.key(d));
            if (artifact != null) {
                versions.add(new Version(d, artifact));
            }
        });
        return new ActiveModels(experiment, List.copyOf(versions));
    }

    public boolean isEmpty() {
        return newestFirst.isEmpty();
    }

    public List<Version> versions() {
        return newestFirst;
    }

    /** The version that serves the member, or null while none is loaded. */
    public Version select(String memberId) {
        if (newestFirst.isEmpty()) {
            return null;
        }
        if (newestFirst.size() == 1) {
            return newestFirst.get(0);
        }
        double point = TrafficSplit.point(memberId, experiment);
        double start = 0;
        for (Version version : newestFirst) {
            double share = Math.min(version.descriptor().getTrafficShare(), 1 - start);
            if (point < start + share) {
                return version;
            }
            start += share;
        }
        return newestFirst.get(newestFirst.size() - 1);
    }
}
