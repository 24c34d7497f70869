package io.nearline.operators.members;

import io.nearline.operators.als.ImplicitSolver;
import io.nearline.operators.als.BestN;
import io.nearline.operators.als.TopN;
import io.nearline.operators.models.ModelArtifact;
import io.nearline.operators.neighbours.TitleNeighbours;
import org.apache.flink.configuration.ReadableConfig;

import io.nearline.operators.similars.SimilarsIndex;
import io.nearline.schemas.result.TrendingRow;
import io.nearline.schemas.similars.SimilarTitles;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a member's recompute does, apart from Flink: folds the member's compacted interactions into a factor
 * against a model's item factors, then picks the top titles the member has not seen by the blend of
 * {@link HybridRanker} (fold-in, the neighbours of the member's recent titles, popularity). The nearline operator
 * and {@code bin/nearline eval} both call this, so the evaluation measures the job's own code. Keeps scratch
 * buffers: one instance per thread.
 */
public final class Recommender {

    /** A recompute's outcome. {@code factor} is null when the member got the popularity row. */
    public record Result(double[] factor, List<String> titles, List<Float> scores, boolean personalised) {}

    private final MemberHistory history;
    private final int rowLength;
    private final int minInteractions;
    private final Set<String> excludedTitles;
    private final ImplicitSolver.Method method;
    private final int cgIterations;
    private final double cgTolerance;
    private final double alpha;
    private final double lambda;
    private final Map<String, ImplicitSolver> solvers = new HashMap<>();
    private final TopN topN = new TopN();
    private final HybridRanker ranker;
    private int[] rows = new int[64];
    private float[] strengths = new float[64];
    private boolean[] positive = new boolean[64];
    private int[] excluded = new int[64];
    private int[] recentRows = new int[64];
    /** Rows a member has seen, marked for "because you watched" and unmarked after. */
    private boolean[] seenRows = new boolean[0];
    private int[] markedRows = new int[64];
    private float[] recentWeights = new float[64];

    /** A recompute's settings, checked when they are built ({@link MemberOptions#recommender}). */
    public record Settings(int maxTitles, long halfLifeMillis, int rowLength, int minInteractions, Set<String> excludedTitles,
            ImplicitSolver.Method method, int cgIterations, double cgTolerance, double alpha, double lambda,
            HybridRanker.Settings ranking) implements java.io.Serializable {

        public Settings {
            excludedTitles = Set.copyOf(excludedTitles);
        }
    }

    /** Settings read from options, for offline callers (eval, training, tests); the job builds them at submission. */
    public Recommender(ReadableConfig config) {
        this(MemberOptions.recommender(config));
    }

    public Recommender(Settings settings) {
        this(new MemberHistory(settings.maxTitles(), settings.halfLifeMillis()), settings.rowLength(),
                settings.minInteractions(), settings.excludedTitles(), settings.method(), settings.cgIterations(),
                settings.cgTolerance(), settings.alpha(), settings.lambda(), settings.ranking());
    }

    public Recommender(MemberHistory history, int rowLength, int minInteractions, Set<String> excludedTitles,
            ImplicitSolver.Method method, int cgIterations, double cgTolerance, double alpha, double lambda,
            HybridRanker.Settings ranking) {
        this.history = history;
        this.rowLength = rowLength;
        this.minInteractions = minInteractions;
        this.excludedTitles = Set.copyOf(excludedTitles);
        this.method = method;
        this.cgIterations = cgIterations;
        this.cgTolerance = cgTolerance;
        this.alpha = alpha;
        this.lambda = lambda;
        this.ranker = new HybridRanker(ranking);
    }

    public MemberHistory history() {
        return history;
    }

    /**
     * Recomputes a member: {@link #foldIn} then {@link #rank}, or the popularity row.
     *
     * @param interactions compacted (one per title, see {@link MemberHistory#compact})
     * @param now the time weights are decayed to: the newest event's time
     * @param previous the member's factor computed against this same model version (a warm start), or null
     */
    public Result recommend(ModelArtifact model, List<Interaction> interactions, long now, double[] previous) {
        Scoring scoring = foldIn(model, interactions, now, previous);
        return scoring == null ? popular(model, interactions) : rank(List.of(scoring)).get(0);
    }

    /**
     * A member folded in against a model, its titles not picked yet: the factor, the rows to leave out (what the
     * member has seen, what the rules exclude), and the member's recent titles with their recency weights.
     */
    public record Scoring(ModelArtifact model, double[] factor, int[] excludedRows, int[] recentRows,
            float[] recentWeights, int positives) {}

    /**
     * Folds a member's interactions into a factor; null when the member has too few positive interactions
     * for one (it gets the popularity row).
     *
     * @param interactions compacted (one per title, see {@link MemberHistory#compact})
     * @param now the time weights are decayed to: the newest event's time
     * @param previous the member's factor computed against this same model version (a warm start), or null
     */
    public Scoring foldIn(ModelArtifact model, List<Interaction> interactions, long now, double[] previous) {
        int rank = model.rank();
        ensureCapacity(interactions.size() + excludedTitles.size());
        int count = 0;
        int positives = 0;
        int excludedCount = 0;
        for (Interaction interaction : interactions) {
            int row = model.row(interaction.titleId);
            if (row < 0) {
                continue;
            }
            excluded[excludedCount++] = row;
            float weight = history.decay(interaction.weight, interaction.time, now);
            if (weight == 0) {
                continue;
            }
            rows[count] = row;
            strengths[count] = (float) (alpha * Math.abs(weight));
            positive[count] = weight > 0;
            positives += weight > 0 ? 1 : 0;
            count++;
        }
        for (String title : excludedTitles) {
            int row = model.row(title);
            if (row >= 0) {
                excluded[excludedCount++] = row;
            }
        }
        if (positives < Math.max(1, minInteractions)) {
            return null;
        }
        double[] factor = new double[rank];
        if (previous != null && previous.length == rank) {
            System.arraycopy(previous, 0, factor, 0, rank);
        }
        solver(model).solve(model.gram(), model.vectors(), rows, strengths, positive, count, factor);
        int recentCount = ranker.recent(model, interactions, recentRows, recentWeights);
        return new Scoring(model, factor, Arrays.copyOf(excluded, excludedCount), Arrays.copyOf(recentRows, recentCount),
                Arrays.copyOf(recentWeights, recentCount), positives);
    }

    /**
     * Picks the top titles of folded-in members: the fold-in's candidates of those of one model in one pass over its
     * item factors ({@link TopN#selectBatch}: the same as one at a time, at a fraction of the memory traffic), then
     * each member's blend ({@link HybridRanker}).
     *
     * @return one result per scoring, in order
     */
    public List<Result> rank(List<Scoring> scorings) {
        Result[] results = new Result[scorings.size()];
        Map<ModelArtifact, List<Integer>> byModel = new IdentityHashMap<>();
        for (int i = 0; i < scorings.size(); i++) {
            byModel.computeIfAbsent(scorings.get(i).model(), m -> new ArrayList<>()).add(i);
        }
        for (Map.Entry<ModelArtifact, List<Integer>> group : byModel.entrySet()) {
            ModelArtifact model = group.getKey();
            List<Integer> members = group.getValue();
            int count = members.size();
            double[][] factors = new double[count][];
            int[][] excludedRows = new int[count][];
            int[] excludedCounts = new int[count];
            BestN[] best = new BestN[count];
            for (int m = 0; m < count; m++) {
                Scoring scoring = scorings.get(members.get(m));
                factors[m] = scoring.factor();
                excludedRows[m] = scoring.excludedRows();
                excludedCounts[m] = scoring.excludedRows().length;
                best[m] = new BestN();
            }
            if (!ranker.settings().retrievesFrom(model)) {
                topN.selectBatch(model.scoringFactors(), factors, excludedRows, excludedCounts, count,
                        ranker.foldInCandidates(rowLength), best);
            }
            for (int m = 0; m < count; m++) {
                Scoring scoring = scorings.get(members.get(m));
                HybridRanker.Ranked ranked = ranker.rank(model, scoring.factor(), scoring.excludedRows(), scoring.recentRows(),
                        scoring.recentWeights(), scoring.positives(), best[m], rowLength);
                List<String> titles = new ArrayList<>(ranked.rows().size());
                for (int row : ranked.rows()) {
                    titles.add(model.itemId(row));
                }
                List<Float> scores = ranked.scores();
                results[members.get(m)] = new Result(factors[m], titles, scores, true);
            }
        }
        return Arrays.asList(results);
    }

    /**
     * A "because you watched" row: the titles like one the member watched, and where the list came from (the model's
     * neighbour table, or a similars result).
     */
    public record BecauseYouWatched(String watched, List<String> titles, List<Float> scores, String sourceName,
            String sourceVersion) {}

    /**
     * The member's "because you watched" rows, at most {@code slots}: one for each of the member's most recent
     * positive titles, newest first, that has titles like it the member has not seen (nor the rules exclude). The
     * lists come from the model's neighbour table, the one the ranker uses; a model without one (trained before it)
     * falls back to the similars result, if any.
     */
    public List<BecauseYouWatched> becauseYouWatched(ModelArtifact model, SimilarsIndex similars, List<Interaction> interactions,
            int slots) {
        TitleNeighbours neighbours = model.neighbours();
        if (slots <= 0 || (neighbours.isEmpty() && similars == null)) {
            return List.of();
        }
        // Titles from the neighbour table are rows: what the member has seen (and the rules exclude) is marked by
        // row, cheaper than a set of every title id of the history. Similars lists are ids: a set of ids.
        Set<String> seen = neighbours.isEmpty() ? new HashSet<>() : null;
        int marked = 0;
        if (seen != null) {
            for (Interaction interaction : interactions) {
                seen.add(interaction.titleId);
            }
        } else {
            if (seenRows.length < model.numItems()) {
                seenRows = new boolean[model.numItems()];
            }
            if (markedRows.length < interactions.size() + excludedTitles.size()) {
                markedRows = new int[interactions.size() + excludedTitles.size()];
            }
            for (Interaction interaction : interactions) {
                int row = model.row(interaction.titleId);
                if (row >= 0 && !seenRows[row]) {
                    seenRows[row] = true;
                    markedRows[marked++] = row;
                }
            }
            for (String title : excludedTitles) {
                int row = model.row(title);
                if (row >= 0 && !seenRows[row]) {
                    seenRows[row] = true;
                    markedRows[marked++] = row;
                }
            }
        }
        List<Interaction> newestFirst = new ArrayList<>(interactions);
        newestFirst.sort(Comparator.comparingLong((Interaction i) -> i.time).reversed().thenComparing(i -> i.titleId));
        List<BecauseYouWatched> rows = new ArrayList<>(slots);
        for (Interaction interaction : newestFirst) {
            if (rows.size() == slots) {
                break;
            }
            if (interaction.weight <= 0) {
                continue;
            }
            List<String> titles = new ArrayList<>(rowLength);
            List<Float> scores = new ArrayList<>(rowLength);
            if (!neighbours.isEmpty()) {
                int row = model.row(interaction.titleId);
                for (int n = row < 0 ? 0 : neighbours.start(row); row >= 0 && n < neighbours.end(row) && titles.size() < rowLength; n++) {
                    if (!seenRows[neighbours.row(n)]) {
                        titles.add(model.itemId(neighbours.row(n)));
                        scores.add(neighbours.score(n));
                    }
                }
            } else {
                SimilarTitles similar = similars.similarTo(interaction.titleId);
                for (int i = 0; similar != null && i < similar.getTitles().size() && titles.size() < rowLength; i++) {
                    add(similar.getTitles().get(i), similar.getScores().get(i), seen, titles, scores);
                }
            }
            if (!titles.isEmpty()) {
                rows.add(neighbours.isEmpty()
                        ? new BecauseYouWatched(interaction.titleId, titles, scores, similars.algorithm(), similars.version())
                        : new BecauseYouWatched(interaction.titleId, titles, scores, model.name(), model.version()));
            }
        }
        for (int i = 0; i < marked; i++) {
            seenRows[markedRows[i]] = false;
        }
        return rows;
    }

    private void add(String title, float score, Set<String> seen, List<String> titles, List<Float> scores) {
        if (!seen.contains(title) && !excludedTitles.contains(title)) {
            titles.add(title);
            scores.add(score);
        }
    }

    /**
     * The fallback row from a Trending Now row: its titles without what the member has seen or the rules
     * exclude, filled up from the model's popularity row when trending has too few.
     */
    public Result trending(TrendingRow row, Result popular, List<Interaction> interactions) {
        Set<String> seen = new HashSet<>();
        for (Interaction interaction : interactions) {
            seen.add(interaction.titleId);
        }
        List<String> titles = new ArrayList<>(rowLength);
        List<Float> scores = new ArrayList<>(rowLength);
        long top = row.getCounts().isEmpty() ? 1 : Math.max(1, row.getCounts().get(0));
        for (int i = 0; i < row.getTitles().size() && titles.size() < rowLength; i++) {
            String title = row.getTitles().get(i);
            if (!seen.contains(title) && !excludedTitles.contains(title)) {
                titles.add(title);
                scores.add((float) row.getCounts().get(i) / top);
            }
        }
        for (int i = 0; i < popular.titles().size() && titles.size() < rowLength; i++) {
            if (!titles.contains(popular.titles().get(i))) {
                titles.add(popular.titles().get(i));
                scores.add(0f);
            }
        }
        return new Result(null, titles, scores, false);
    }

    /** The model's popularity row without what the member has seen or the rules exclude. */
    public Result popular(ModelArtifact model, List<Interaction> interactions) {
        Set<String> seen = new HashSet<>();
        for (Interaction interaction : interactions) {
            seen.add(interaction.titleId);
        }
        List<String> titles = new ArrayList<>(rowLength);
        List<Float> scores = new ArrayList<>(rowLength);
        for (String title : model.popular()) {
            if (titles.size() == rowLength) {
                break;
            }
            if (!seen.contains(title) && !excludedTitles.contains(title)) {
                titles.add(title);
                // A rank-based score: the popularity row carries no model score.
                scores.add(1f / (1 + titles.size()));
            }
        }
        return new Result(null, titles, scores, false);
    }

    private ImplicitSolver solver(ModelArtifact model) {
        String key = model.name() + "@" + model.version();
        ImplicitSolver solver = solvers.get(key);
        if (solver == null) {
            if (solvers.size() > 8) {
                solvers.clear();
            }
            solver = new ImplicitSolver(model.rank(), lambda, method, cgIterations, cgTolerance);
            solvers.put(key, solver);
        }
        return solver;
    }

    private void ensureCapacity(int size) {
        if (rows.length < size) {
            int capacity = Math.max(size, rows.length * 2);
            rows = new int[capacity];
            strengths = new float[capacity];
            positive = new boolean[capacity];
            excluded = new int[capacity];
        }
        if (recentRows.length < ranker.settings().recentNeeded()) {
            recentRows = new int[ranker.settings().recentNeeded()];
            recentWeights = new float[recentRows.length];
        }
    }
}
