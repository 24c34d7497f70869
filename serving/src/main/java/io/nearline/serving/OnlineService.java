package io.nearline.serving;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.nearline.operators.members.MemberOptions;
import io.nearline.operators.models.ModelArtifact;
import io.nearline.operators.serving.ServingOptions;
import io.nearline.operators.similars.SimilarsOptions;
import io.nearline.operators.similars.SimilarsVersions;
import io.nearline.schemas.RowNames;
import io.nearline.schemas.result.RecommendationRow;
import org.apache.flink.configuration.ReadableConfig;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The online answers, without HTTP: a member's rows from the near cache, the cache, Cassandra and then the
 * precomputed fallback, within the request's deadline; similar titles; explanations.
 */
final class OnlineService implements AutoCloseable {

    /** What the stores gave for a member: rows, and the titles it is watching (or null). */
    private record Fetched(List<ServedRow> rows, RecommendationRow watching) {}

    /** The answer to {@code /because}. */
    record Because(String member, String title, String modelVersion, String factorVersion, Double score,
            List<Explainer.Support> because) {}

    /** The answer to {@code /similar}. */
    record Similar(String title, String algorithm, String version, List<String> titles, List<Float> scores, boolean nearCache) {}

    /** A lookup the caller can tell apart from a failure: the thing asked for does not exist (a 404). */
    static final class NotFound extends Exception {
        private static final long serialVersionUID = 1L;

        NotFound(String message) {
            super(message, null, false, false);
        }
    }

    /** A store that could not answer, with no fallback for what was asked (a 503). */
    static final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;

        Unavailable(String message) {
            super(message, null, false, false);
        }
    }

    private static final List<String> CACHED_ROWS = List.of(RowNames.TOP_PICKS, RowNames.WATCHING);

    private final CacheTier cache;
    private final CassandraTier cassandra;
    private final Precomputed precomputed;
    private final ServingMetrics metrics;
    private final Duration deadline;
    private final long cacheTimeoutMillis;
    private final long watchingWindowMillis;
    private final RowOrder order;
    private final ZoneId zone;
    private final Clock clock;
    private final String defaultAlgorithm;
    private final int explanations;
    private final Explainer explainer;
    private final Cache<String, Fetched> nearRows;
    private final Cache<String, CassandraTier.Similars> nearSimilars;
    private final MemberFactors factors;

    OnlineService(ReadableConfig config, CacheTier cache, CassandraTier cassandra, Precomputed precomputed,
            MemberFactors factors, ServingMetrics metrics, Clock clock) {
        this.cache = cache;
        this.cassandra = cassandra;
        this.precomputed = precomputed;
        this.factors = factors;
        this.metrics = metrics;
        this.clock = clock;
        this.deadline = config.get(ServingOptions.DEADLINE);
        this.cacheTimeoutMillis = Math.max(1, config.get(ServingOptions.CACHE_TIMEOUT).toMillis());
        this.watchingWindowMillis = config.get(MemberOptions.WATCHING_WINDOW).toMillis();
        this.order = RowOrder.parse(config.getOptional(ServingOptions.ROW_ORDER).orElse(List.of()));
        this.zone = ZoneId.of(config.get(ServingOptions.TIME_ZONE));
        this.defaultAlgorithm = config.get(SimilarsOptions.ALGORITHM);
        this.explanations = config.get(ServingOptions.EXPLANATIONS);
        this.explainer = new Explainer(config.get(MemberOptions.ALPHA), config.get(MemberOptions.LAMBDA));
        Duration ttl = config.get(ServingOptions.NEAR_CACHE_TTL);
        long size = ttl.isZero() ? 0 : config.get(ServingOptions.NEAR_CACHE_ENTRIES);
        this.nearRows = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(size).build();
        this.nearSimilars = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(size).build();
    }

    RowsAnswer rows(String member, String device, String country, int limit) {
        long start = System.nanoTime();
        Deadline budget = Deadline.in(deadline);
        Fetched fetched = nearRows.getIfPresent(member);
        boolean near = fetched != null;
        String reason = null;
        if (fetched == null) {
            List<ServedRow> rows = new ArrayList<>();
            RecommendationRow watching = null;
            try {
                Map<String, RecommendationRow> cached = cache.rows(member, CACHED_ROWS,
                        Math.min(cacheTimeoutMillis, budget.remainingMillis()));
                RecommendationRow top = cached.get(RowNames.TOP_PICKS);
                if (top != null) {
                    rows.add(served(top));
                }
                watching = cached.get(RowNames.WATCHING);
            } catch (TierException e) {
                reason = e.getMessage();
            }
            if (rows.isEmpty()) {
                try {
                    rows = cassandra.rows(member, budget.remainingMillis());
                } catch (TierException e) {
                    reason = reason == null ? e.getMessage() : reason + "; " + e.getMessage();
                }
            }
            if (!rows.isEmpty()) {
                fetched = new Fetched(List.copyOf(rows), watching);
                nearRows.put(member, fetched);
            }
        }
        long now = clock.millis();
        List<ServedRow> rows;
        boolean fallback = fetched == null;
        if (fallback) {
            metrics.fallbacks.labelValues(reason == null ? "unknown" : "deadline").inc();
            reason = reason == null ? "no rows for member " + member : reason;
            ServedRow row = precomputed.trending(country);
            if (row == null) {
                row = precomputed.popularity();
            }
            rows = row == null ? List.of() : List.of(row);
        } else {
            rows = fetched.rows();
        }
        Set<String> watching = fetched == null ? Set.of() : watching(fetched.watching(), now);
        List<ServedRow> answer = new ArrayList<>(rows.size());
        Set<String> filtered = new HashSet<>();
        for (ServedRow row : order.apply(rows, device, clock.instant().atZone(zone).getHour())) {
            List<String> titles = new ArrayList<>();
            List<Float> scores = new ArrayList<>();
            for (int i = 0; i < row.titles().size() && titles.size() < limit; i++) {
                String title = row.titles().get(i);
                if (watching.contains(title)) {
                    filtered.add(title);
                    continue;
                }
                titles.add(title);
                if (i < row.scores().size()) {
                    scores.add(row.scores().get(i));
                }
            }
            answer.add(row.withTitles(titles, scores).agedAt(now));
            metrics.rows.labelValues(row.source(), Boolean.toString(near)).inc();
        }
        return new RowsAnswer(member, answer, fallback, fallback ? reason : null, near, List.copyOf(filtered),
                (System.nanoTime() - start) / 1000);
    }

    /** Titles of the watching row started within the window. */
    private Set<String> watching(RecommendationRow row, long now) {
        if (row == null || watchingWindowMillis <= 0) {
            return Set.of();
        }
        Set<String> titles = new HashSet<>();
        long newest = row.getNewestEventTime().toEpochMilli();
        for (int i = 0; i < row.getTitles().size(); i++) {
            long startedAt = newest - (long) (i < row.getScores().size() ? row.getScores().get(i) * 1000 : 0);
            if (now - startedAt <= watchingWindowMillis) {
                titles.add(row.getTitles().get(i));
            }
        }
        return titles;
    }

    Similar similar(String title, String algorithm, int limit) throws NotFound, Unavailable {
        String name = algorithm == null ? defaultAlgorithm : algorithm;
        String version = precomputed.similarsVersion(name);
        if (version == null) {
            throw new NotFound("no similars of algorithm " + name + " are published");
        }
        String key = name + "@" + version + "/" + title;
        CassandraTier.Similars similars = nearSimilars.getIfPresent(key);
        boolean near = similars != null;
        if (similars == null) {
            try {
                // The table holds the algorithm's version; the publication adds the build's key to it.
                similars = cassandra.similars(name, SimilarsVersions.algorithmVersion(version), title,
                        Deadline.in(deadline).remainingMillis());
            } catch (TierException e) {
                throw new Unavailable(e.getMessage());
            }
            if (similars == null) {
                throw new NotFound("title " + title + " has no similars in " + name + " " + version);
            }
            nearSimilars.put(key, similars);
        }
        int n = Math.min(limit, similars.titles().size());
        return new Similar(title, name, version, similars.titles().subList(0, n),
                similars.scores().subList(0, Math.min(n, similars.scores().size())), near);
    }

    Because because(String member, String title) throws NotFound, Unavailable {
        ModelArtifact model = precomputed.model();
        if (model == null) {
            throw new Unavailable("no model is loaded yet");
        }
        int row = model.row(title);
        if (row < 0) {
            throw new NotFound("title " + title + " is not in model " + model.name() + " " + model.version());
        }
        Optional<CassandraTier.Factor> factor;
        try {
            factor = factors.get(member, Deadline.in(deadline).remainingMillis());
        } catch (TierException e) {
            throw new Unavailable(e.getMessage());
        }
        if (factor.isEmpty() || factor.get().watched().isEmpty()) {
            throw new NotFound("member " + member + " has no watched titles to explain with");
        }
        CassandraTier.Factor f = factor.get();
        List<Explainer.Support> support = explainer.explain(model, row, f.watched(), f.watchedWeights());
        Double score = null;
        if (f.modelVersion().equals(model.version()) && f.factor().length == model.rank()) {
            double s = 0;
            float[] y = model.vectors()[row];
            for (int k = 0; k < y.length; k++) {
                s += f.factor()[k] * y[k];
            }
            score = s;
        }
        return new Because(member, title, model.version(), f.modelVersion(), score,
                support.subList(0, Math.min(explanations, support.size())));
    }

    private static ServedRow served(RecommendationRow row) {
        return new ServedRow(row.getRowName(), row.getAnchorTitle(), row.getTitles(), row.getScores(), ServedRow.CACHE, row.getModelName(),
                row.getModelVersion(), row.getComputedAt().toEpochMilli(), 0);
    }

    Map<String, Object> health() {
        ModelArtifact model = precomputed.model();
        ServedCatalog catalog = precomputed.catalog();
        return Map.of("status", "up",
                "cassandra", cassandra.connected() ? "connected" : "unavailable",
                "model", model == null ? "none" : model.name() + " " + model.version(),
                "catalog", catalog == null ? "none" : catalog.version(),
                "trendingRegions", precomputed.trendingRegions());
    }

    @Override
    public void close() throws Exception {
        precomputed.close();
        cassandra.close();
        cache.close();
    }
}
