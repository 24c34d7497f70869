package io.nearline.serving;

import io.nearline.operators.kafka.KafkaOptions;
import io.nearline.operators.models.ArtifactSource;
import io.nearline.operators.models.ModelArtifact;
import io.nearline.operators.models.ModelArtifacts;
import io.nearline.operators.models.ModelOptions;
import io.nearline.operators.models.Publication;
import io.nearline.operators.serving.ServingOptions;
import io.nearline.operators.similars.CatalogArtifacts;
import io.nearline.schemas.model.ArtifactDescriptor;
import io.nearline.schemas.model.ArtifactKind;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What the service keeps in memory, so that it can answer when the stores cannot: the trending rows of every
 * region (from Cassandra) and the active model (from the {@code published} topic and the model's artifact), whose
 * popularity row is the last fallback and whose title factors explain recommendations; the newest published
 * version of each similars algorithm; and the newest published catalog (titles, names, facets). Refreshed in the
 * background; a failed refresh, or a bad artifact, keeps what was there.
 */
final class Precomputed implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Precomputed.class);

    private final Configuration config;
    private final CassandraTier cassandra;
    private final String defaultRegion;
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "precomputed-refresh");
        thread.setDaemon(true);
        return thread;
    });
    private volatile Map<String, CassandraTier.Trending> trending = Map.of();
    private volatile ModelArtifact model;
    private volatile Map<String, String> similarsVersions = Map.of();
    private volatile ServedCatalog catalog;
    /** Catalog artifacts that failed to load (version and checksum): not fetched again. */
    private final Set<String> rejectedCatalogs = java.util.concurrent.ConcurrentHashMap.newKeySet();

    Precomputed(ReadableConfig config, CassandraTier cassandra) {
        this.config = Configuration.fromMap(config.toMap());
        this.cassandra = cassandra;
        this.defaultRegion = config.get(ServingOptions.DEFAULT_REGION).toUpperCase(Locale.ROOT);
        long every = Math.max(1, config.get(ServingOptions.REFRESH_INTERVAL).toMillis());
        refresher.scheduleWithFixedDelay(this::refresh, 0, every, TimeUnit.MILLISECONDS);
    }

    /** Reloads everything now (also what the schedule does). */
    void refresh() {
        refreshPublished();
        refreshTrending();
    }

    private void refreshTrending() {
        try {
            Map<String, CassandraTier.Trending> rows = new HashMap<>();
            for (CassandraTier.Trending row : cassandra.trending(10_000)) {
                if (!row.titles().isEmpty()) {
                    rows.put(row.region(), row);
                }
            }
            trending = Map.copyOf(rows);
        } catch (TierException e) {
            LOG.debug("trending rows not refreshed: {}", e.getMessage());
        }
    }

    private void refreshPublished() {
        List<ArtifactDescriptor> published;
        try {
            published = Publication.readAll(config.get(KafkaOptions.BOOTSTRAP_SERVERS), config.get(ModelOptions.PUBLISHED_TOPIC),
                    Publication.clientProperties(config));
        } catch (RuntimeException e) {
            LOG.warn("published models not refreshed: {}", e.getMessage());
            return;
        }
        Map<String, ArtifactDescriptor> newestSimilars = new HashMap<>();
        for (ArtifactDescriptor d : published) {
            if (d.getKind() == ArtifactKind.SIMILARS) {
                newestSimilars.merge(d.getName(), d, (a, b) -> a.getPublishedAt().isAfter(b.getPublishedAt()) ? a : b);
            }
        }
        Map<String, String> versions = new HashMap<>();
        newestSimilars.forEach((name, d) -> versions.put(name, d.getVersion()));
        similarsVersions = Map.copyOf(versions);
        Publication.active(published, config.get(ModelOptions.NAME)).ifPresent(this::load);
        loadCatalog(CatalogArtifacts.newestFirst(published));
    }

    /** The newest catalog that loads: a damaged one is skipped, and the one before it serves (also after a restart). */
    private void loadCatalog(List<ArtifactDescriptor> newestFirst) {
        for (ArtifactDescriptor descriptor : newestFirst) {
            ServedCatalog current = catalog;
            if (current != null && current.version().equals(descriptor.getVersion())) {
                return;
            }
            String key = descriptor.getVersion() + "/" + descriptor.getSha256();
            if (rejectedCatalogs.contains(key)) {
                continue;
            }
            try {
                byte[] bytes = new ArtifactSource(config).read(URI.create(descriptor.getUri()));
                catalog = ServedCatalog.of(CatalogArtifacts.read(bytes, descriptor), descriptor.getVersion());
                LOG.info("catalog {} loaded ({} titles)", descriptor.getVersion(), catalog.size());
                return;
            } catch (Exception e) {
                rejectedCatalogs.add(key);
                LOG.warn("catalog {} not loaded from {}: {}", descriptor.getVersion(), descriptor.getUri(), e.getMessage());
            }
        }
    }

    private void load(ArtifactDescriptor descriptor) {
        ModelArtifact current = model;
        if (current != null && current.version().equals(descriptor.getVersion())) {
            return;
        }
        try {
            byte[] bytes = new ArtifactSource(config).read(URI.create(descriptor.getUri()));
            model = ModelArtifacts.read(bytes, descriptor.getSizeBytes(), descriptor.getSha256(), 0);
            LOG.info("model {} {} loaded ({} titles)", descriptor.getName(), descriptor.getVersion(), model.numItems());
        } catch (Exception e) {
            // The previous model keeps serving fallbacks and explanations.
            LOG.warn("model {} {} not loaded from {}: {}", descriptor.getName(), descriptor.getVersion(), descriptor.getUri(),
                    e.getMessage());
        }
    }

    /** The trending row of the country, else of the default region; null if neither is known. */
    ServedRow trending(String country) {
        ServedRow row = country == null ? null : trendingIn(country);
        return row == null ? trendingIn(defaultRegion) : row;
    }

    /** The trending row of exactly this region (a country or the default region), or null. */
    ServedRow trendingIn(String region) {
        CassandraTier.Trending row = trending.get(region.toUpperCase(Locale.ROOT));
        if (row == null) {
            return null;
        }
        long windowEnd = row.windowEnd() == null ? 0 : row.windowEnd().toEpochMilli();
        return new ServedRow("trending", null, row.titles(), List.of(), ServedRow.TRENDING, "trending",
                row.region() + "@" + row.windowEnd(), windowEnd, 0);
    }

    /** The active model's popularity row; null before a model is loaded. */
    ServedRow popularity() {
        ModelArtifact m = model;
        if (m == null) {
            return null;
        }
        return new ServedRow("popular", null, m.popular(), List.of(), ServedRow.POPULARITY, m.name(), m.version(),
                m.metadata().getCreatedAt() == null ? 0 : m.metadata().getCreatedAt().toEpochMilli(), 0);
    }

    ModelArtifact model() {
        return model;
    }

    /** The newest published catalog that loaded; null before one has. */
    ServedCatalog catalog() {
        return catalog;
    }

    /** The region of requests without a country, and of countries without a trending row. */
    String defaultRegion() {
        return defaultRegion;
    }

    /** The newest published version of a similars algorithm, or null. */
    String similarsVersion(String algorithm) {
        return similarsVersions.get(algorithm);
    }

    int trendingRegions() {
        return trending.size();
    }

    @Override
    public void close() {
        refresher.shutdownNow();
    }
}
