package io.nearline.operators.members;

import io.nearline.operators.als.CandidateScores;
import io.nearline.operators.als.BestN;
import io.nearline.operators.als.TopN;
import io.nearline.operators.models.ModelArtifact;
import io.nearline.operators.neighbours.BestRows;
import io.nearline.operators.neighbours.TitleNeighbours;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Ranks a folded-in member's titles by a blend of three scores, each scaled so that the member's best candidate
 * scores 1 (the three live on different scales):
 * <ul>
 *   <li>fold-in: the member's factor against each title's, what the member's whole history says;</li>
 *   <li>item-to-item: the neighbours of the member's most recent titles, newest weighted most, what the member
 *       is doing now (a turn to a new genre shows here first);</li>
 *   <li>popularity, for members with little history.</li>
 * </ul>
 * Candidates are the fold-in's best few (exact scores from {@link TopN}), the item-to-item score's best few
 * and the most popular titles; titles the member has seen or the rules exclude are never candidates. With retrieval
 * ({@code nearline.ranker.retrieval-titles}) the fold-in does not score the whole catalog: its candidates are the
 * best few neighbours of each of the member's recent titles and the most popular titles, each scored exactly. Keeps
 * scratch buffers: one instance per thread.
 */
public final class HybridRanker {

    /** The blend; see {@link RankerOptions} for what each means. */
    public record Settings(double foldInWeight, double sequenceWeight, double popularityWeight, int popularityHistory,
            int recentTitles, double recencyDecay, int candidates, int retrievalTitles) implements java.io.Serializable {

        public Settings withWeights(double foldIn, double sequence, double popularity) {
            return new Settings(foldIn, sequence, popularity, popularityHistory, recentTitles, recencyDecay, candidates,
                    retrievalTitles);
        }

        /**
         * Whether the fold-in scores only the titles retrieved from the neighbour lists of the member's recent titles
         * (and the most popular), rather than the whole catalog: for a model with a neighbour table.
         */
        public boolean retrievesFrom(ModelArtifact model) {
            return retrievalTitles > 0 && !model.neighbours().isEmpty();
        }

        /** How many of the member's recent titles the ranker needs: for the item-to-item score and for retrieval. */
        int recentNeeded() {
            return Math.max(recentTitles, retrievalTitles);
        }
    }

    /** A member's titles, best first, with their blended scores. */
    public record Ranked(List<Integer> rows, List<Float> scores) {}

    private final Settings settings;
    private float[] sequence = new float[0];
    private float[] foldIn = new float[0];
    private float[] popularity = new float[0];
    private byte[] state = new byte[0];
    private int[] candidates = new int[64];
    private int[] toScore = new int[64];
    private float[] dots = new float[64];
    private float[] x = new float[0];
    private int[] touched = new int[256];
    private float[] scratch = new float[256];
    private int candidateCount;
    private final BestRows best = new BestRows();

    private static final byte EXCLUDED = 1;
    private static final byte CANDIDATE = 2;
    private static final byte SCORED = 4;

    public HybridRanker(Settings settings) {
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    /** How many titles the fold-in should propose for rows of {@code rowLength}. */
    public int foldInCandidates(int rowLength) {
        return Math.max(rowLength, settings.candidates());
    }

    /**
     * The member's most recent positive titles, newest first, with their weights in the item-to-item score: 1, decay,
     * decay², ... for the {@code recentTitles} newest, 0 for those further back that only retrieval reads (at most
     * {@code retrievalTitles}). {@code interactions} are compacted, oldest first.
     *
     * @param rows filled with the titles' model rows; returns how many
     */
    public int recent(ModelArtifact model, List<Interaction> interactions, int[] rows, float[] weights) {
        int count = 0;
        float weight = 1;
        int wanted = Math.min(rows.length, settings.retrievesFrom(model) ? settings.recentNeeded() : settings.recentTitles());
        for (int i = interactions.size() - 1; i >= 0 && count < wanted; i--) {
            Interaction interaction = interactions.get(i);
            int row = interaction.weight > 0 ? model.row(interaction.titleId) : -1;
            if (row >= 0) {
                rows[count] = row;
                weights[count] = count < settings.recentTitles() ? weight : 0;
                count++;
                weight *= (float) settings.recencyDecay();
            }
        }
        return count;
    }

    /**
     * Ranks one member.
     *
     * @param foldInBest the fold-in's best titles with exact scores, excluded rows already left out
     */
    public Ranked rank(ModelArtifact model, double[] factor, int[] excludedRows, int[] recentRows, float[] recentWeights,
            int positives, BestN foldInBest, int rowLength) {
        int numItems = model.numItems();
        ensureCapacity(numItems);
        for (int row : excludedRows) {
            state[row] = EXCLUDED;
        }
        candidateCount = 0;
        float foldInMax = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < foldInBest.size(); i++) {
            int row = foldInBest.rowUnordered(i);
            foldIn[row] = foldInBest.scoreUnordered(i);
            foldInMax = Math.max(foldInMax, foldIn[row]);
            addCandidate(row);
            state[row] |= SCORED;
        }
        TitleNeighbours neighbours = model.neighbours();
        if (foldInBest.size() == 0 && settings.retrievesFrom(model)) {
            // Retrieval: the fold-in scores the best few neighbours of each recent title instead of every title.
            for (int r = 0; r < recentRows.length; r++) {
                int start = neighbours.start(recentRows[r]);
                int end = Math.min(neighbours.end(recentRows[r]), start + settings.candidates());
                for (int n = start; n < end; n++) {
                    int row = neighbours.row(n);
                    if (state[row] != EXCLUDED) {
                        addCandidate(row);
                    }
                }
            }
        }
        float sequenceMax = 0;
        int touchedCount = 0;
        if (settings.sequenceWeight() > 0 && !neighbours.isEmpty()) {
            for (int r = 0; r < recentRows.length; r++) {
                float weight = recentWeights[r];
                // A title of recency weight w brings its best w-th of its neighbours: the rest would add less than w
                // times the tail's scores, and the work falls from (recent titles x neighbours) to about 1 / (1 - decay)
                // lists.
                int start = neighbours.start(recentRows[r]);
                int end = start + (int) Math.ceil(weight * (neighbours.end(recentRows[r]) - start));
                for (int n = start; n < end; n++) {
                    int row = neighbours.row(n);
                    if (state[row] == EXCLUDED) {
                        continue;
                    }
                    if (sequence[row] == 0) {
                        if (touchedCount == touched.length) {
                            touched = Arrays.copyOf(touched, touchedCount * 2);
                        }
                        touched[touchedCount++] = row;
                    }
                    sequence[row] += weight * neighbours.score(n);
                }
            }
            // Only the sequence's best few join the candidates (each costs an exact fold-in score below): those at or
            // above the few-th best score, found in linear time.
            int wanted = Math.max(rowLength, settings.candidates());
            float bar = touchedCount <= wanted ? 0 : kthLargest(touchedCount, wanted);
            for (int i = 0; i < touchedCount; i++) {
                float score = sequence[touched[i]];
                sequenceMax = Math.max(sequenceMax, score);
                if (score >= bar) {
                    addCandidate(touched[i]);
                }
            }
        }
        double prior = settings.popularityWeight() <= 0 ? 0
                : settings.popularityWeight() * settings.popularityHistory()
                        / (double) (settings.popularityHistory() + positives);
        int[] popular = model.popularRows();
        int popularWanted = foldInBest.size() == 0 && settings.retrievesFrom(model) ? Math.max(rowLength, settings.candidates()) : rowLength;
        for (int i = 0, taken = 0; i < popular.length && taken < popularWanted; i++) {
            int row = popular[i];
            if (state[row] != EXCLUDED) {
                addCandidate(row);
                if (taken < rowLength) {
                    popularity[row] = (float) (prior * (1 - (double) i / popular.length));
                }
                taken++;
            }
        }
        int unscored = 0;
        for (int c = 0; c < candidateCount; c++) {
            if ((state[candidates[c]] & SCORED) == 0) {
                if (unscored == toScore.length) {
                    toScore = Arrays.copyOf(toScore, unscored * 2);
                }
                toScore[unscored++] = candidates[c];
            }
        }
        if (dots.length < unscored) {
            dots = new float[Math.max(unscored, dots.length * 2)];
        }
        if (x.length != factor.length) {
            x = new float[factor.length];
        }
        for (int k = 0; k < factor.length; k++) {
            x[k] = (float) factor[k];
        }
        CandidateScores.dots(model.vectors(), toScore, unscored, x, dots);
        for (int c = 0; c < unscored; c++) {
            foldIn[toScore[c]] = dots[c];
            foldInMax = Math.max(foldInMax, dots[c]);
        }
        double foldInScale = foldInMax > 0 ? settings.foldInWeight() / foldInMax : 0;
        double sequenceScale = sequenceMax > 0 ? settings.sequenceWeight() / sequenceMax : 0;
        best.reset(rowLength);
        for (int c = 0; c < candidateCount; c++) {
            int row = candidates[c];
            best.offer(row, (float) (foldInScale * foldIn[row] + sequenceScale * sequence[row] + popularity[row]));
        }
        List<Integer> rankedRows = new ArrayList<>(best.size());
        List<Float> rankedScores = new ArrayList<>(best.size());
        for (int i = 0; i < best.size(); i++) {
            rankedRows.add(best.row(i));
            rankedScores.add(best.score(i));
        }
        Ranked ranked = new Ranked(rankedRows, rankedScores);
        for (int i = 0; i < touchedCount; i++) {
            sequence[touched[i]] = 0;
        }
        for (int c = 0; c < candidateCount; c++) {
            int row = candidates[c];
            foldIn[row] = 0;
            popularity[row] = 0;
            state[row] = 0;
        }
        for (int row : excludedRows) {
            state[row] = 0;
        }
        return ranked;
    }

    /** The k-th largest sequence score of the touched rows (quickselect on a copy). */
    private float kthLargest(int count, int k) {
        if (scratch.length < count) {
            scratch = new float[Math.max(count, scratch.length * 2)];
        }
        for (int i = 0; i < count; i++) {
            scratch[i] = sequence[touched[i]];
        }
        int target = k - 1;
        int lo = 0;
        int hi = count - 1;
        while (lo < hi) {
            float pivot = scratch[(lo + hi) >>> 1];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (scratch[i] > pivot) {
                    i++;
                }
                while (scratch[j] < pivot) {
                    j--;
                }
                if (i <= j) {
                    float swap = scratch[i];
                    scratch[i++] = scratch[j];
                    scratch[j--] = swap;
                }
            }
            if (target <= j) {
                hi = j;
            } else if (target >= i) {
                lo = i;
            } else {
                break;
            }
        }
        return scratch[target];
    }

    private void addCandidate(int row) {
        if ((state[row] & CANDIDATE) != 0) {
            return;
        }
        state[row] |= CANDIDATE;
        if (candidateCount == candidates.length) {
            candidates = Arrays.copyOf(candidates, candidateCount * 2);
        }
        candidates[candidateCount++] = row;
    }

    private void ensureCapacity(int numItems) {
        if (sequence.length < numItems) {
            sequence = new float[numItems];
            foldIn = new float[numItems];
            popularity = new float[numItems];
            state = new byte[numItems];
        }
    }
}
