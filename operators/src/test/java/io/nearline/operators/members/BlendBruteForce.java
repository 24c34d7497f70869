package io.nearline.operators.members;

import io.nearline.operators.models.ModelArtifact;
import io.nearline.operators.neighbours.TitleNeighbours;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * {@link HybridRanker}'s blend worked out title by title from its definition, for tests to compare a ranking against:
 * every allowed title not seen is scored (fold-in in double precision, the neighbours of the recent titles summed with
 * their recency weights, the popularity prior), each score scaled so the best allowed title's is its weight. No
 * candidate selection, no scratch buffers: slow and plain.
 */
public final class BlendBruteForce {

    /** One ranked title. */
    public record Scored(String title, double score) {}

    private BlendBruteForce() {}

    /**
     * @param allowed the rows that may be ranked (a facet's titles)
     * @param seen rows left out
     * @param recentNewestFirst the member's recent titles' rows, newest first
     * @param positives the member's positive titles, for the popularity prior
     */
    public static List<Scored> rank(ModelArtifact model, float[] factor, Set<Integer> allowed, Set<Integer> seen,
            int[] recentNewestFirst, int positives, HybridRanker.Settings settings, int n) {
        List<Integer> candidates = new ArrayList<>();
        for (int row : allowed) {
            if (!seen.contains(row)) {
                candidates.add(row);
            }
        }
        int items = model.numItems();
        double[] foldIn = new double[items];
        double foldInMax = Double.NEGATIVE_INFINITY;
        for (int row : candidates) {
            double dot = 0;
            for (int k = 0; k < factor.length; k++) {
                dot += (double) factor[k] * model.vectors()[row][k];
            }
            foldIn[row] = dot;
            foldInMax = Math.max(foldInMax, dot);
        }
        double[] sequence = new double[items];
        double sequenceMax = 0;
        TitleNeighbours neighbours = model.neighbours();
        if (settings.sequenceWeight() > 0 && !neighbours.isEmpty()) {
            // Recency weights 1, decay, decay², ... as floats, and each recent title's best weight-th of its neighbours:
            // the ranker's definition of the item-to-item score.
            float weight = 1;
            for (int r = 0; r < Math.min(recentNewestFirst.length, settings.recentTitles()); r++) {
                int title = recentNewestFirst[r];
                int length = neighbours.end(title) - neighbours.start(title);
                int used = (int) Math.ceil(weight * length);
                for (int i = 0; i < used; i++) {
                    int row = neighbours.row(neighbours.start(title) + i);
                    if (allowed.contains(row) && !seen.contains(row)) {
                        sequence[row] += weight * neighbours.score(neighbours.start(title) + i);
                    }
                }
                weight *= (float) settings.recencyDecay();
            }
            for (int row : candidates) {
                sequenceMax = Math.max(sequenceMax, sequence[row]);
            }
        }
        double[] popularity = new double[items];
        double prior = settings.popularityWeight() <= 0 ? 0
                : settings.popularityWeight() * settings.popularityHistory() / (double) (settings.popularityHistory() + positives);
        int[] popular = model.popularRows();
        for (int i = 0, taken = 0; i < popular.length && taken < n; i++) {
            if (allowed.contains(popular[i]) && !seen.contains(popular[i])) {
                popularity[popular[i]] = prior * (1 - (double) i / popular.length);
                taken++;
            }
        }
        double foldInScale = foldInMax > 0 ? settings.foldInWeight() / foldInMax : 0;
        double sequenceScale = sequenceMax > 0 ? settings.sequenceWeight() / sequenceMax : 0;
        candidates.sort(Comparator.<Integer>comparingDouble(row -> -(foldInScale * foldIn[row] + sequenceScale * sequence[row]
                + popularity[row])).thenComparingInt(row -> row));
        List<Scored> ranked = new ArrayList<>();
        for (int row : candidates.subList(0, Math.min(n, candidates.size()))) {
            ranked.add(new Scored(model.itemId(row), foldInScale * foldIn[row] + sequenceScale * sequence[row] + popularity[row]));
        }
        return ranked;
    }
}
