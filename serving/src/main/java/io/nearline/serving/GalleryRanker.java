package io.nearline.serving;

import io.nearline.operators.als.CandidateScores;
import io.nearline.operators.als.BestN;
import io.nearline.operators.members.HybridRanker;
import io.nearline.operators.members.Interaction;
import io.nearline.operators.models.ModelArtifact;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * Ranks the titles of one catalog facet for a member at request time, with the member operator's own blend
 * ({@link HybridRanker}, settings from {@code nearline.ranker.*}): every title of the facet the member has not seen is
 * scored exactly against the member's factor, and the ranker adds the neighbours of the member's recent titles (the
 * session signal) and the popularity prior, each scaled within the facet. The rest of the catalog is excluded, so the
 * ranker's candidates are the facet's titles and nothing else. Thread-safe: each thread keeps its own scratch.
 */
final class GalleryRanker {

    /** A facet's titles as rows of one model: those the model has ({@code inside}, ascending) and every other row. */
    record FacetRows(int[] inside, int[] outside) {

        static FacetRows of(ModelArtifact model, Collection<String> titles) {
            int[] inside = titles.stream().mapToInt(model::row).filter(row -> row >= 0).sorted().distinct().toArray();
            int[] outside = new int[model.numItems() - inside.length];
            for (int row = 0, i = 0, o = 0; row < model.numItems(); row++) {
                if (i < inside.length && inside[i] == row) {
                    i++;
                } else {
                    outside[o++] = row;
                }
            }
            return new FacetRows(inside, outside);
        }
    }

    /** The facet's best titles for the member, best first, with their blended scores. */
    record Ranked(List<String> titles, List<Float> scores) {}

    /** What one thread reuses from request to request. */
    private static final class Scratch {
        final HybridRanker ranker;
        final BestN best = new BestN();
        int[] rows = new int[0];
        float[] dots = new float[0];
        final int[] recentRows;
        final float[] recentWeights;

        Scratch(HybridRanker.Settings settings) {
            ranker = new HybridRanker(settings);
            int recent = Math.max(settings.recentTitles(), settings.retrievalTitles());
            recentRows = new int[recent];
            recentWeights = new float[recent];
        }
    }

    private final ThreadLocal<Scratch> scratch;

    GalleryRanker(HybridRanker.Settings settings) {
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(settings));
    }

    /**
     * @param factor the member's factor against {@code model}, of its rank
     * @param seen titles the member has seen: never ranked
     * @param recentNewestFirst the member's most recent titles, newest first: the session signal
     * @param positives how many positive titles the member has (the popularity prior fades with them)
     */
    Ranked rank(ModelArtifact model, float[] factor, FacetRows facet, Collection<String> seen, List<String> recentNewestFirst,
            int positives, int limit) {
        Scratch s = scratch.get();
        int[] seenRows = seen.stream().mapToInt(model::row).filter(row -> row >= 0).sorted().distinct().toArray();
        if (s.rows.length < facet.inside().length) {
            s.rows = new int[facet.inside().length];
            s.dots = new float[facet.inside().length];
        }
        int count = 0;
        for (int row : facet.inside()) {
            if (Arrays.binarySearch(seenRows, row) < 0) {
                s.rows[count++] = row;
            }
        }
        if (count == 0) {
            return new Ranked(List.of(), List.of());
        }
        CandidateScores.dots(model.vectors(), s.rows, count, factor, s.dots);
        s.best.keepAll(s.rows, s.dots, count);
        int[] excluded = Arrays.copyOf(facet.outside(), facet.outside().length + seenRows.length);
        System.arraycopy(seenRows, 0, excluded, facet.outside().length, seenRows.length);
        // The ranker reads recency from interactions, oldest first; equal weights, so only the order counts.
        List<Interaction> interactions = new ArrayList<>(recentNewestFirst.size());
        for (int i = recentNewestFirst.size() - 1; i >= 0; i--) {
            interactions.add(new Interaction(recentNewestFirst.get(i), 1, recentNewestFirst.size() - i));
        }
        int recent = s.ranker.recent(model, interactions, s.recentRows, s.recentWeights);
        double[] x = new double[factor.length];
        for (int k = 0; k < x.length; k++) {
            x[k] = factor[k];
        }
        HybridRanker.Ranked ranked = s.ranker.rank(model, x, excluded, Arrays.copyOf(s.recentRows, recent),
                Arrays.copyOf(s.recentWeights, recent), positives, s.best, limit);
        List<String> titles = new ArrayList<>(ranked.rows().size());
        for (int row : ranked.rows()) {
            titles.add(model.itemId(row));
        }
        return new Ranked(titles, ranked.scores());
    }
}
