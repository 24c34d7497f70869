package io.nearline.serving;

import io.nearline.operators.models.ModelArtifact;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What the console reads besides rows: titles with names and facets, the catalog's facets, Trending Now. */
final class CatalogAnswers {

    /** The answer to {@code GET /v1/trending}: {@code region} is the trending row's region, null for popularity. */
    record Trending(String country, String region, String source, String modelVersion, List<String> titles, List<Float> scores) {}

    private final Precomputed precomputed;

    CatalogAnswers(Precomputed precomputed) {
        this.precomputed = precomputed;
    }

    /** The titles of these ids that the catalog has, in the order asked. */
    Map<String, List<ServedCatalog.Title>> titles(List<String> ids) throws OnlineService.Unavailable {
        ServedCatalog catalog = catalog();
        List<ServedCatalog.Title> titles = new ArrayList<>(ids.size());
        for (String id : ids) {
            ServedCatalog.Title title = catalog.title(id);
            if (title != null) {
                titles.add(title);
            }
        }
        return Map.of("titles", titles);
    }

    Map<String, List<String>> facets() throws OnlineService.Unavailable {
        return Map.of("facets", catalog().facets());
    }

    /** Trending Now for the country (upper case, or null), else for the default region, else the model's popularity row. */
    Trending trending(String country, int limit) throws OnlineService.Unavailable {
        String region = country == null ? precomputed.defaultRegion() : country;
        ServedRow row = precomputed.trendingIn(region);
        if (row == null && country != null) {
            region = precomputed.defaultRegion();
            row = precomputed.trendingIn(region);
        }
        if (row != null) {
            return new Trending(country, region.toUpperCase(Locale.ROOT), GalleryService.TRENDING, row.modelVersion(),
                    row.titles().subList(0, Math.min(limit, row.titles().size())), List.of());
        }
        ModelArtifact model = precomputed.model();
        if (model == null) {
            throw new OnlineService.Unavailable("no trending row for " + region + " and no model is loaded yet");
        }
        return new Trending(country, null, GalleryService.POPULARITY, model.version(),
                model.popular().subList(0, Math.min(limit, model.popular().size())), List.of());
    }

    private ServedCatalog catalog() throws OnlineService.Unavailable {
        ServedCatalog catalog = precomputed.catalog();
        if (catalog == null) {
            throw new OnlineService.Unavailable("no catalog is published yet (bin/nearline similars or publish --catalog)");
        }
        return catalog;
    }
}
