package io.nearline.operators.similars;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** An algorithm's filters, resolved against the catalog: which candidates of a title may be kept. */
final class CandidateFilter {

    private final Catalog catalog;
    private final boolean excludeSelf;
    private final int[] sharedFacets;
    private final int[] excludedFacets;
    private final int[][] excludedValues;

    CandidateFilter(AlgorithmSpec.Filters filters, Catalog catalog) {
        this.catalog = catalog;
        this.excludeSelf = filters.excludeSelf();
        this.sharedFacets = filters.requireShared().stream().mapToInt(catalog::facet).toArray();
        List<int[]> values = new ArrayList<>();
        int[] facets = new int[filters.excludeValues().size()];
        int i = 0;
        for (Map.Entry<String, List<String>> entry : new java.util.TreeMap<>(filters.excludeValues()).entrySet()) {
            facets[i++] = catalog.facet(entry.getKey());
            values.add(catalog.valueNumbers(catalog.facet(entry.getKey()), entry.getValue()));
        }
        this.excludedFacets = facets;
        this.excludedValues = values.toArray(new int[0][]);
    }

    boolean keeps(int title, int candidate) {
        if (candidate == title) {
            return !excludeSelf;
        }
        for (int facet : sharedFacets) {
            if (Overlap.count(catalog.values(facet, title), catalog.values(facet, candidate)) == 0) {
                return false;
            }
        }
        for (int i = 0; i < excludedFacets.length; i++) {
            if (Overlap.count(excludedValues[i], catalog.values(excludedFacets[i], candidate)) > 0) {
                return false;
            }
        }
        return true;
    }
}
