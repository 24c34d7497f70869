package io.nearline.serving;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.nearline.operators.members.RankerOptions;
import io.nearline.operators.models.ModelArtifact;
import io.nearline.operators.serving.ServingOptions;
import io.nearline.schemas.RowNames;
import io.nearline.schemas.result.RecommendationRow;
import org.apache.flink.configuration.ReadableConfig;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Online computation: the gallery of one catalog facet for a member, ranked at request time. The member's factor
 * (near cache, then Cassandra's {@code member_factors}) is scored against the active model's titles of the facet by
 * {@link GalleryRanker}, with the session signal of the member's recent titles: the {@code watching} row from the
 * cache (newest first), then the factor's watched titles (most weighted first). Titles in either are left out. When
 * the stores do not answer within {@code nearline.serving.deadline}, the member has no factor of the active model or no
 * model is loaded, the facet's Trending Now titles answer (the country's, else the default region's), else the facet's
 * titles in the model's popularity row; the answer says which source answered and why.
 */
final class GalleryService {

    static final String COMPUTED = "computed";
    static final String TRENDING = "trending";
    static final String POPULARITY = "popularity";

    /** The answer to {@code GET /v1/members/{member}/gallery}; {@code scores} are empty for the fallbacks. */
    record Gallery(String member, String facet, String source, String reason, String modelVersion, List<String> titles,
            List<Float> scores, long tookMicros) {}

    /** A facet the catalog does not have (a 400). */
    static final class UnknownFacet extends Exception {
        private static final long serialVersionUID = 1L;

        UnknownFacet(String message) {
            super(message, null, false, false);
        }
    }

    /** The facets' rows in one model: recomputed when the model or the catalog changes. */
    private record Index(ModelArtifact model, ServedCatalog catalog, Cache<String, GalleryRanker.FacetRows> facets) {}

    private static final List<String> WATCHING = List.of(RowNames.WATCHING);
    /** Facets whose rows are kept per model; a facet's rows cost an int per title of the model. */
    private static final int INDEXED_FACETS = 1024;

    private final CacheTier cache;
    private final MemberFactors factors;
    private final Precomputed precomputed;
    private final ServingMetrics metrics;
    private final GalleryRanker ranker;
    private final Duration deadline;
    private final long cacheTimeoutMillis;
    private volatile Index index;

    GalleryService(ReadableConfig config, CacheTier cache, MemberFactors factors, Precomputed precomputed, ServingMetrics metrics) {
        this.cache = cache;
        this.factors = factors;
        this.precomputed = precomputed;
        this.metrics = metrics;
        this.ranker = new GalleryRanker(RankerOptions.settings(config));
        this.deadline = config.get(ServingOptions.DEADLINE);
        this.cacheTimeoutMillis = Math.max(1, config.get(ServingOptions.CACHE_TIMEOUT).toMillis());
    }

    /** @param country upper case, or null */
    Gallery gallery(String member, String facetText, String country, int limit) throws UnknownFacet, OnlineService.Unavailable {
        long start = System.nanoTime();
        Deadline budget = Deadline.in(deadline);
        ServedCatalog catalog = precomputed.catalog();
        if (catalog == null) {
            throw new OnlineService.Unavailable("no catalog is published yet (bin/nearline similars or publish --catalog)");
        }
        ServedCatalog.Facet facet = catalog.facet(facetText);
        if (facet == null) {
            throw new UnknownFacet("facet '" + facetText + "' is not in catalog " + catalog.version() + " (GET /v1/facets lists them)");
        }
        ModelArtifact model = precomputed.model();
        Set<String> seen = new LinkedHashSet<>();
        String reason;
        if (model == null) {
            reason = "no model is loaded yet";
        } else {
            RecommendationRow watching = watching(member, budget);
            if (watching != null) {
                seen.addAll(watching.getTitles());
            }
            try {
                Optional<CassandraTier.Factor> factor = factors.get(member, budget.remainingMillis());
                factor.ifPresent(f -> seen.addAll(f.watched()));
                reason = unusable(member, factor, model);
                if (reason == null && budget.passed()) {
                    reason = "the deadline of " + deadline.toMillis() + " ms passed before ranking";
                }
                if (reason == null) {
                    // Recent titles, newest first: the watching row is in start order, the rest by weight.
                    GalleryRanker.Ranked ranked = ranker.rank(model, factor.get().factor(), rows(model, catalog, facet), seen,
                            new ArrayList<>(seen), seen.size(), limit);
                    return answer(member, facetText, COMPUTED, null, model.version(), ranked.titles(), ranked.scores(), start);
                }
            } catch (TierException e) {
                reason = e.getMessage();
            }
        }
        return fallback(member, facetText, catalog, facet, model, country, seen, limit, reason, start);
    }

    /** The member's watching row, or null: it only sharpens the answer, so a cache that fails is no reason to fall back. */
    private RecommendationRow watching(String member, Deadline budget) {
        try {
            return cache.rows(member, WATCHING, Math.min(cacheTimeoutMillis, budget.remainingMillis())).get(RowNames.WATCHING);
        } catch (TierException e) {
            return null;
        }
    }

    /** Why the factor cannot be ranked against the model, or null if it can. */
    private static String unusable(String member, Optional<CassandraTier.Factor> factor, ModelArtifact model) {
        if (factor.isEmpty()) {
            return "member " + member + " has no factor of model " + model.name();
        }
        CassandraTier.Factor f = factor.get();
        if (!f.modelVersion().equals(model.version())) {
            return "member " + member + "'s factor is of model version " + f.modelVersion() + ", the active one is " + model.version();
        }
        if (f.factor().length != model.rank()) {
            return "member " + member + "'s factor has rank " + f.factor().length + ", the model " + model.rank();
        }
        return null;
    }

    private GalleryRanker.FacetRows rows(ModelArtifact model, ServedCatalog catalog, ServedCatalog.Facet facet) {
        Index current = index;
        if (current == null || current.model() != model || current.catalog() != catalog) {
            current = new Index(model, catalog, Caffeine.newBuilder().maximumSize(INDEXED_FACETS).build());
            index = current;
        }
        return current.facets().get(facet.text(), text -> GalleryRanker.FacetRows.of(model, catalog.titles(facet)));
    }

    private Gallery fallback(String member, String facetText, ServedCatalog catalog, ServedCatalog.Facet facet, ModelArtifact model,
            String country, Set<String> seen, int limit, String reason, long start) {
        Set<String> regions = new LinkedHashSet<>();
        if (country != null) {
            regions.add(country.toUpperCase(Locale.ROOT));
        }
        regions.add(precomputed.defaultRegion());
        for (String region : regions) {
            ServedRow row = precomputed.trendingIn(region);
            List<String> titles = row == null ? List.of() : facetTitles(row.titles(), catalog, facet, seen, limit);
            if (!titles.isEmpty()) {
                return answer(member, facetText, TRENDING, reason, row.modelVersion(), titles, List.of(), start);
            }
        }
        List<String> titles = model == null ? List.of() : facetTitles(model.popular(), catalog, facet, seen, limit);
        return answer(member, facetText, POPULARITY, reason, model == null ? null : model.version(), titles, List.of(), start);
    }

    private static List<String> facetTitles(List<String> titles, ServedCatalog catalog, ServedCatalog.Facet facet, Set<String> seen,
            int limit) {
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < titles.size() && kept.size() < limit; i++) {
            String title = titles.get(i);
            if (!seen.contains(title) && catalog.carries(title, facet)) {
                kept.add(title);
            }
        }
        return kept;
    }

    private Gallery answer(String member, String facet, String source, String reason, String modelVersion, List<String> titles,
            List<Float> scores, long start) {
        metrics.galleries.labelValues(source).inc();
        return new Gallery(member, facet, source, reason, modelVersion, titles, scores, (System.nanoTime() - start) / 1000);
    }
}
