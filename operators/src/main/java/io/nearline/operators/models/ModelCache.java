package io.nearline.operators.models;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.nearline.schemas.model.ArtifactDescriptor;

import java.io.IOException;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Loaded model artifacts (and other published data sets, such as similars), one copy per task manager: every parallel task of the job asks the same cache,
 * and the first request of a version loads it while the others wait on the same future. Entries are keyed
 * by name, version and checksum, so a corrected re-upload under the same version is loaded anew. Failed
 * loads are not cached (Caffeine drops failed futures), so a re-publication retries.
 */
public final class ModelCache {

    /** One shared cache per loader-thread count; in practice one per task manager and job. */
    private static final ConcurrentHashMap<Integer, ModelCache> SHARED = new ConcurrentHashMap<>();

    private final AsyncCache<String, Loaded> cache;
    private final Executor executor;

    public ModelCache(Executor executor, int maximumModels) {
        this.executor = executor;
        this.cache = Caffeine.newBuilder().maximumSize(maximumModels).executor(executor).buildAsync();
    }

    /** The task manager's cache, loading on {@code threads} daemon threads; {@code threads == 0} loads on the caller's thread, unshared. */
    public static ModelCache forThreads(int threads) {
        if (threads <= 0) {
            return new ModelCache(Runnable::run, 16);
        }
        return SHARED.computeIfAbsent(threads, t -> new ModelCache(loaderPool(t), 16));
    }

    /**
     * Stops the shared loader threads and forgets the shared caches. Called when the job's class loader is
     * released: threads of a job's own classes would otherwise keep its class loader, and its metaspace, alive
     * in a session cluster's task manager after the job ends.
     */
    public static void shutdownShared() {
        SHARED.values().forEach(cache -> {
            if (cache.executor instanceof ExecutorService pool) {
                pool.shutdownNow();
            }
            cache.cache.synchronous().invalidateAll();
        });
        SHARED.clear();
    }

    private static ExecutorService loaderPool(int threads) {
        AtomicInteger number = new AtomicInteger();
        return Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "nearline-model-loader-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    public static String key(ArtifactDescriptor descriptor) {
        return descriptor.getName() + "@" + descriptor.getVersion() + "@" + descriptor.getSha256();
    }

    /**
     * The verified artifact of a descriptor, loading it if needed. Fails with a {@link CompletionException}
     * whose cause is a {@link BadArtifactException} for a bad artifact, or the I/O error when the store could
     * not be read.
     */
    public CompletableFuture<ModelArtifact> get(ArtifactDescriptor descriptor, int expectedRank, ArtifactSource source) {
        return get(descriptor, () -> {
            byte[] bytes = source.read(URI.create(descriptor.getUri()));
            ModelArtifact artifact = ModelArtifacts.read(bytes, descriptor.getSizeBytes(), descriptor.getSha256(), expectedRank);
            if (!artifact.name().equals(descriptor.getName()) || !artifact.version().equals(descriptor.getVersion())) {
                throw new BadArtifactException(BadArtifactException.Reason.UNREADABLE, "the artifact is "
                        + artifact.name() + " " + artifact.version() + ", not " + descriptor.getName() + " " + descriptor.getVersion());
            }
            return artifact;
        });
    }

    /** Loads anything published (a model, a similars data set) once per task manager, with the failure rules above. */
    @SuppressWarnings("unchecked")
    public <T> CompletableFuture<T> get(ArtifactDescriptor descriptor, Loader<T> loader) {
        String key = descriptor.getKind() + ":" + key(descriptor);
        CompletableFuture<Loaded> future = cache.get(key, (k, executor) -> CompletableFuture.supplyAsync(() -> {
            try {
                return new Loaded(loader.load(), null);
            } catch (BadArtifactException | IOException | RuntimeException e) {
                return new Loaded(null, e);
            }
        }, executor));
        return future.thenApply(loaded -> {
            if (loaded.failure() != null) {
                // Not kept: a re-publication of the version tries again. (A failed future would be dropped too,
                // but Caffeine logs each one with its stack trace; the job logs one line itself.)
                cache.asMap().remove(key, future);
                throw new CompletionException(loaded.failure());
            }
            return (T) loaded.value();
        });
    }

    /** Reads and verifies one published data set. */
    @FunctionalInterface
    public interface Loader<T> {
        T load() throws BadArtifactException, IOException;
    }

    /** A load's outcome: the loaded data set or why there is none. */
    private record Loaded(Object value, Exception failure) {}
}
