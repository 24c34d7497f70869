package io.nearline.operators.members;

import io.nearline.operators.models.ActiveModels;
import io.nearline.operators.models.BadArtifactException;
import io.nearline.operators.models.ModelCache;
import io.nearline.schemas.model.ArtifactDescriptor;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.ThreadSafeSimpleCounter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The retained publications of one kind (model versions, similars results) on one task, and what of them serves.
 * Broadcast state holds their descriptors, the newest few; the artifacts are loaded off the task thread (through
 * {@link ModelCache}) and taken in on the task thread only, so what serves changes there, without locks. A
 * publication serves once it is loaded and verified: a rejected one leaves the previous one serving, and a
 * re-publication of it (say, after a fixed upload) is tried again. After a restore the descriptors in broadcast
 * state are loaded again without a new publication.
 *
 * @param <T> a loaded artifact
 * @param <S> what serves, made of the loaded retained artifacts
 */
abstract class RetainedPublications<T, S> {

    private static final Logger LOG = LoggerFactory.getLogger(RetainedPublications.class);

    /** One finished load: the artifact, or why it was refused. */
    private record Load<T>(ArtifactDescriptor descriptor, T artifact, Throwable failure) {}

    private final String task;
    private final String noun;
    private final String keeps;
    private final int retainedVersions;
    private final boolean waitForRestores;
    private final Counter loadedCount;
    private final Counter rejectedCount;
    /** The retained descriptors, newest first: a mirror of broadcast state. */
    private List<ArtifactDescriptor> retained = new ArrayList<>();
    private final Map<String, T> loaded = new HashMap<>();
    private final Set<String> requested = new HashSet<>();
    private final ConcurrentLinkedQueue<Load<T>> completions = new ConcurrentLinkedQueue<>();
    /** Loads started by a restore that have not finished (only when waiting for restores). */
    private final Set<String> restoring = new HashSet<>();
    private final S nothing;
    private volatile S serving;
    private volatile String lastRejection;

    /**
     * @param noun names the kind in log lines
     * @param keeps what a rejection leaves, for its log line
     * @param waitForRestores whether nothing serves until every restored publication has loaded or failed:
     *        otherwise an older one that happens to load first would serve members that the newer one served
     * @param nothing what serves while nothing is loaded
     * @param metrics where the counters {@code loaded} and {@code rejected} go
     */
    RetainedPublications(String task, String noun, String keeps, int retainedVersions, boolean waitForRestores,
            S nothing, MetricGroup metrics) {
        this.task = task;
        this.noun = noun;
        this.keeps = keeps;
        this.retainedVersions = Math.max(1, retainedVersions);
        this.waitForRestores = waitForRestores;
        this.loadedCount = metrics.counter("loaded", new ThreadSafeSimpleCounter());
        this.rejectedCount = metrics.counter("rejected", new ThreadSafeSimpleCounter());
        this.nothing = nothing;
        this.serving = nothing;
    }

    /** Whether a descriptor is one of these publications. */
    abstract boolean isOurs(ArtifactDescriptor descriptor);

    /** Loads and verifies the artifact; runs off the task thread. */
    abstract CompletableFuture<T> load(ArtifactDescriptor descriptor);

    /** What the log line of a loaded artifact tells besides its name and version. */
    abstract String describe(ArtifactDescriptor descriptor, T artifact);

    /** What serves, from the retained descriptors (newest first) whose artifacts are loaded, and what served so far. */
    abstract S serve(List<ArtifactDescriptor> newestFirst, Map<String, T> loaded, S current);

    /** Loads the publications of a restored broadcast state again. */
    final void restore(Iterable<ArtifactDescriptor> descriptors) {
        for (ArtifactDescriptor descriptor : descriptors) {
            if (isOurs(descriptor)) {
                retained.add(descriptor);
            }
        }
        retained.sort(ActiveModels.NEWEST_FIRST);
        if (!retained.isEmpty()) {
            LOG.info("{}: restored {} {} descriptor(s); loading them: {}", task, retained.size(), noun,
                    retained.stream().map(MemberStates::descriptorKey).toList());
        }
        if (waitForRestores) {
            retained.forEach(d -> restoring.add(ModelCache.key(d)));
        }
        requestLoads();
        applyCompletions();
    }

    /** A new publication: retained in broadcast state, loaded, and serving once loaded. */
    void publish(ArtifactDescriptor descriptor, BroadcastState<String, ArtifactDescriptor> state) throws Exception {
        state.put(MemberStates.descriptorKey(descriptor), descriptor);
        update(descriptor, state);
    }

    /** A publication no longer wanted: removed from broadcast state, and it stops serving. */
    void retire(ArtifactDescriptor descriptor, BroadcastState<String, ArtifactDescriptor> state) throws Exception {
        state.remove(MemberStates.descriptorKey(descriptor));
        update(descriptor, state);
    }

    private void update(ArtifactDescriptor descriptor, BroadcastState<String, ArtifactDescriptor> state) throws Exception {
        // Keep the newest few: older ones can no longer take over.
        List<ArtifactDescriptor> all = new ArrayList<>();
        state.entries().forEach(e -> {
            if (isOurs(e.getValue())) {
                all.add(e.getValue());
            }
        });
        all.sort(ActiveModels.NEWEST_FIRST);
        for (ArtifactDescriptor old : all.subList(Math.min(all.size(), retainedVersions), all.size())) {
            state.remove(MemberStates.descriptorKey(old));
        }
        retained = new ArrayList<>(all.subList(0, Math.min(all.size(), retainedVersions)));
        // A re-publication of a rejected one (say, after a fixed upload) is tried again.
        requested.remove(ModelCache.key(descriptor));
        requestLoads();
        applyCompletions();
    }

    private void requestLoads() {
        for (ArtifactDescriptor descriptor : retained) {
            String key = ModelCache.key(descriptor);
            if (loaded.containsKey(key) || !requested.add(key)) {
                continue;
            }
            load(descriptor).whenComplete((artifact, failure) -> {
                // Runs on a loader thread: log and count now, even if no event arrives to take the result in.
                if (failure == null) {
                    loadedCount.inc();
                    LOG.info("{}: {} {} {} ready {}", task, noun, descriptor.getName(), descriptor.getVersion(),
                            describe(descriptor, artifact));
                } else {
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                    reject(descriptor, cause instanceof BadArtifactException ? cause.getMessage() : "could not be read: " + cause);
                }
                completions.add(new Load<>(descriptor, artifact, failure));
            });
        }
        rebuild();
    }

    /** Takes in finished loads; on the task thread only. */
    final void applyCompletions() {
        Load<T> load;
        boolean changed = false;
        while ((load = completions.poll()) != null) {
            String key = ModelCache.key(load.descriptor());
            if (load.failure() == null) {
                loaded.put(key, load.artifact());
            }
            changed |= restoring.remove(key) || load.failure() == null;
        }
        if (changed) {
            rebuild();
        }
    }

    /** Refuses a publication: counted, logged, and what served goes on serving. */
    final void reject(ArtifactDescriptor descriptor, String why) {
        rejectedCount.inc();
        lastRejection = why;
        LOG.warn("{}: rejected {} {} {} at {}: {}; {}", task, noun, descriptor.getName(), descriptor.getVersion(),
                descriptor.getUri(), why, keeps);
    }

    private void rebuild() {
        Set<String> wanted = new HashSet<>();
        retained.forEach(d -> wanted.add(ModelCache.key(d)));
        loaded.keySet().retainAll(wanted);
        restoring.retainAll(wanted);
        serving = restoring.isEmpty() ? serve(retained, loaded, serving) : nothing;
    }

    /** What serves now; readable from any thread. */
    final S serving() {
        return serving;
    }

    /** Publications rejected by this task so far (also the metric {@code rejected}). */
    final long rejected() {
        return rejectedCount.getCount();
    }

    /** Why the last publication was rejected, or null. */
    final String lastRejection() {
        return lastRejection;
    }
}
