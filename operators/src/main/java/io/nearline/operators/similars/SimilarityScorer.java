package io.nearline.operators.similars;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Computes one algorithm's list for a title. A base algorithm finds candidates through the posting lists of
 * its candidate facets (and co-watching), then scores each kept candidate as the weighted sum of its facet
 * similarities (Jaccard of the two titles' values) and co-watch similarity (cosine of their audiences). A
 * blend scores each candidate of its inputs' lists as the weighted sum of its scores there. Not thread-safe:
 * one per task; it reuses its scratch arrays across titles.
 */
public final class SimilarityScorer {

    private final Catalog catalog;
    private final CoWatch coWatch;
    private final AlgorithmSpec spec;
    private final CandidateFilter filter;
    private final int[] candidateFacets;
    private final boolean coWatchCandidates;
    private final int[] weightedFacets;
    private final double[] facetWeights;
    private final double coWatchWeight;
    private final RankedCandidates ranked = new RankedCandidates();
    private final boolean[] seen;
    private final int[] candidates;
    private final int[] coCounts;
    private final int[] coTouched;
    private final float[] blendScores;

    public SimilarityScorer(AlgorithmSpec spec, Catalog catalog, CoWatch coWatch) {
        this.spec = spec;
        this.catalog = catalog;
        this.coWatch = coWatch;
        this.filter = new CandidateFilter(spec.filters(), catalog);
        this.candidateFacets = spec.candidates().stream().filter(f -> !f.equals(AlgorithmSpec.CO_WATCH)).mapToInt(catalog::facet).toArray();
        this.coWatchCandidates = spec.candidates().contains(AlgorithmSpec.CO_WATCH);
        TreeMap<String, Double> weights = new TreeMap<>(spec.weights());
        this.coWatchWeight = weights.getOrDefault(AlgorithmSpec.CO_WATCH, 0.0);
        weights.remove(AlgorithmSpec.CO_WATCH);
        weights.values().removeIf(w -> w == 0);
        this.weightedFacets = weights.keySet().stream().mapToInt(catalog::facet).toArray();
        this.facetWeights = weights.values().stream().mapToDouble(Double::doubleValue).toArray();
        int n = catalog.size();
        this.seen = new boolean[n];
        this.candidates = new int[n];
        this.coCounts = new int[n];
        this.coTouched = new int[n];
        this.blendScores = spec.isBlend() ? new float[n] : null;
    }

    public AlgorithmSpec spec() {
        return spec;
    }

    /** The base algorithm's list for a title. */
    public SimilarList score(int title) {
        int count = 0;
        for (int facet : candidateFacets) {
            int[][] postings = catalog.postings(facet);
            for (int value : catalog.values(facet, title)) {
                for (int other : postings[value]) {
                    if (!seen[other]) {
                        seen[other] = true;
                        candidates[count++] = other;
                    }
                }
            }
        }
        int touched = 0;
        if (coWatchCandidates || coWatchWeight != 0) {
            touched = coWatch.coCounts(title, coCounts, coTouched, 0);
            if (coWatchCandidates) {
                for (int i = 0; i < touched; i++) {
                    int other = coTouched[i];
                    if (!seen[other]) {
                        seen[other] = true;
                        candidates[count++] = other;
                    }
                }
            }
        }
        ranked.clear();
        double audience = coWatch.audience(title);
        for (int i = 0; i < count; i++) {
            int other = candidates[i];
            seen[other] = false;
            if (!filter.keeps(title, other)) {
                continue;
            }
            double score = 0;
            for (int f = 0; f < weightedFacets.length; f++) {
                score += facetWeights[f] * Overlap.jaccard(catalog.values(weightedFacets[f], title), catalog.values(weightedFacets[f], other));
            }
            if (coWatchWeight != 0 && coCounts[other] > 0) {
                score += coWatchWeight * coCounts[other] / Math.sqrt(audience * coWatch.audience(other));
            }
            keep(other, score);
        }
        for (int i = 0; i < touched; i++) {
            coCounts[coTouched[i]] = 0;
        }
        return ranked.top(title, spec.length());
    }

    /** The blend's list for a title, from its inputs' lists for the same title (keyed by algorithm name). */
    public SimilarList blend(int title, Map<String, SimilarList> inputs) {
        int count = 0;
        for (Map.Entry<String, Double> input : new TreeMap<>(spec.blend()).entrySet()) {
            SimilarList list = inputs.get(input.getKey());
            if (list == null) {
                throw new IllegalStateException("blend " + spec.name() + " has no list of " + input.getKey() + " for title " + catalog.id(title));
            }
            for (int i = 0; i < list.size(); i++) {
                int other = list.titles()[i];
                if (!seen[other]) {
                    seen[other] = true;
                    candidates[count++] = other;
                    blendScores[other] = 0;
                }
                blendScores[other] += (float) (input.getValue() * list.scores()[i]);
            }
        }
        ranked.clear();
        for (int i = 0; i < count; i++) {
            int other = candidates[i];
            seen[other] = false;
            if (filter.keeps(title, other)) {
                keep(other, blendScores[other]);
            }
        }
        return ranked.top(title, spec.length());
    }

    private void keep(int other, double score) {
        if (score > 0 && score >= spec.filters().minScore()) {
            ranked.add(other, (float) score);
        }
    }
}
