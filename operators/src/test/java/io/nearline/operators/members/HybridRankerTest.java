package io.nearline.operators.members;

import io.nearline.operators.als.ImplicitSolver;
import io.nearline.operators.models.ModelArtifact;
import io.nearline.operators.neighbours.TitleNeighbours;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The blend through {@link Recommender}, as the member operator and eval call it. */
class HybridRankerTest {

    private static final int TITLES = 200;
    private static final long HOUR = 3_600_000L;

    /** Titles t100..t199 neighbour each other (a genre); the rest neighbour the rest. */
    private final ModelArtifact model = withGenreNeighbours(twoGenres());

    private static Recommender recommender(double sequenceWeight, double popularityWeight) {
        return recommender(sequenceWeight, popularityWeight, 0);
    }

    private static Recommender recommender(double sequenceWeight, double popularityWeight, int retrievalTitles) {
        return new Recommender(new MemberHistory(500, 0), 25, 1, Set.of("t150"), ImplicitSolver.Method.CONJUGATE_GRADIENT, 8, 1e-3,
                10, 30, new HybridRanker.Settings(1, sequenceWeight, popularityWeight, 5, 10, 0.8, 50, retrievalTitles));
    }

    @Test
    void retrievalScoresOnlyTheNeighboursOfRecentTitlesAndThePopularOnes() {
        // Recent titles of the second genre: their neighbours are titles of it after them (t121..t150 and so on).
        List<Interaction> history = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            history.add(new Interaction("t" + i, 2, i * HOUR));
        }
        history.add(new Interaction("t120", 2, 41 * HOUR));
        Recommender retrieving = new Recommender(new MemberHistory(500, 0), 25, 1, Set.of(), ImplicitSolver.Method.CONJUGATE_GRADIENT,
                8, 1e-3, 10, 30, new HybridRanker.Settings(1, 0, 0, 5, 1, 0.8, 5, 1));

        Recommender.Result result = retrieving.recommend(model, history, 41 * HOUR, null);

        // Candidates: t120's five best neighbours (t121..t125) and the five most popular unseen titles (only t0..t2
        // are in the popular row, all seen): nothing else can be picked, though the fold-in prefers the first genre.
        assertThat(result.titles()).containsExactlyInAnyOrder("t121", "t122", "t123", "t124", "t125");
    }

    @Test
    void retrievalFindsTheFoldInsBestTitlesWhenTheyAreNeighboursOfRecentOnes() {
        List<Interaction> history = new ArrayList<>();
        for (int i = 100; i < 170; i++) {
            history.add(new Interaction("t" + i, 2, i * HOUR));
        }

        Recommender.Result catalog = recommender(0, 0, 0).recommend(model, history, 170 * HOUR, null);
        Recommender.Result retrieved = recommender(0, 0, 5).recommend(model, history, 170 * HOUR, null);

        // The member's best titles by the fold-in are the rest of the second genre (t170..t199), all of them neighbours
        // of its most recent title.
        assertThat(newGenre(catalog.titles())).isEqualTo(25);
        assertThat(retrieved.titles()).containsExactlyElementsOf(catalog.titles());
    }

    @Test
    void aModelWithoutNeighboursIsScoredWholeEvenWithRetrievalOn() {
        ModelArtifact plain = twoGenres();
        List<Interaction> history = List.of(new Interaction("t3", 2, HOUR), new Interaction("t120", 1, 2 * HOUR));

        Recommender.Result catalog = recommender(0, 0, 0).recommend(plain, history, 2 * HOUR, null);
        Recommender.Result retrieval = recommender(0, 0, 5).recommend(plain, history, 2 * HOUR, null);

        assertThat(retrieval.titles()).hasSize(25).containsExactlyElementsOf(catalog.titles());
    }

    @Test
    void aTurnToANewGenreMovesTheRowThereWithTheSequenceScore() {
        List<Interaction> history = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            history.add(new Interaction("t" + i, 2, i * HOUR)); // a long history in the first genre
        }
        for (int i = 0; i < 8; i++) {
            history.add(new Interaction("t" + (100 + i), 2, (40 + i) * HOUR)); // eight plays of the new one, as in the demo
        }

        Recommender.Result foldInOnly = recommender(0, 0).recommend(model, history, 48 * HOUR, null);
        Recommender.Result blended = recommender(1, 0).recommend(model, history, 48 * HOUR, null);

        assertThat(newGenre(foldInOnly.titles())).isLessThan(10);
        assertThat(newGenre(blended.titles())).isGreaterThanOrEqualTo(10);
    }

    @Test
    void seenAndExcludedTitlesNeverEnterTheBlend() {
        List<Interaction> history = new ArrayList<>();
        for (int i = 100; i < 140; i++) {
            history.add(new Interaction("t" + i, i % 7 == 0 ? -1 : 2, i * HOUR));
        }

        Recommender.Result blended = recommender(1, 1).recommend(model, history, 140 * HOUR, null);

        assertThat(blended.titles()).hasSize(25).doesNotHaveDuplicates().doesNotContain("t150");
        for (Interaction seen : history) {
            assertThat(blended.titles()).doesNotContain(seen.titleId);
        }
        assertThat(blended.scores()).isSortedAccordingTo((a, b) -> Float.compare(b, a));
    }

    @Test
    void withoutSequenceOrPriorTheRowIsTheFoldInsTopTitles() {
        List<Interaction> history = List.of(new Interaction("t3", 2, HOUR), new Interaction("t120", 1, 2 * HOUR));
        Recommender foldIn = recommender(0, 0);

        Recommender.Scoring scoring = foldIn.foldIn(model, history, 2 * HOUR, null);
        Recommender.Result result = foldIn.rank(List.of(scoring)).get(0);

        io.nearline.operators.als.TopN topN = new io.nearline.operators.als.TopN();
        int[] excluded = {model.row("t3"), model.row("t120"), model.row("t150")};
        int n = topN.select(model.scoringFactors(), scoring.factor(), excluded, 3, 25);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            expected.add(model.itemId(topN.row(i)));
        }
        assertThat(result.titles()).containsExactlyElementsOf(expected);
    }

    @Test
    void popularityPriorWeighsOnAShortHistoryAndFadesOnALongOne() {
        // The model's popular row is t0, t1, t2.
        List<Interaction> short_ = List.of(new Interaction("t120", 2, HOUR));
        List<Interaction> long_ = new ArrayList<>();
        for (int i = 120; i < 190; i++) {
            long_.add(new Interaction("t" + i, 2, i * HOUR));
        }
        Recommender prior = recommender(0, 5);

        List<String> shortTop = prior.recommend(model, short_, HOUR, null).titles().subList(0, 3);
        List<String> longTop = prior.recommend(model, long_, 190 * HOUR, null).titles().subList(0, 3);

        assertThat(shortTop).containsExactly("t0", "t1", "t2");
        assertThat(longTop).isNotEqualTo(List.of("t0", "t1", "t2"));
    }

    private static long newGenre(List<String> titles) {
        return titles.stream().filter(t -> Integer.parseInt(t.substring(1)) >= 100).count();
    }

    /** Factors of two genres: t0..t99 along the first dimension, t100..t199 along the second, with noise. */
    private static ModelArtifact twoGenres() {
        java.util.Random random = new java.util.Random(1);
        int rank = 8;
        String[] ids = new String[TITLES];
        float[] factors = new float[TITLES * rank];
        for (int t = 0; t < TITLES; t++) {
            ids[t] = "t" + t;
            for (int k = 0; k < rank; k++) {
                factors[t * rank + k] = (float) random.nextGaussian() * 0.05f;
            }
            factors[t * rank + (t < 100 ? 0 : 1)] += 0.5f;
        }
        return io.nearline.operators.models.ModelArtifacts.assemble("als", "v1", ids, factors, rank, java.util.Map.of(),
                java.time.Instant.EPOCH, java.time.Instant.EPOCH, List.of("t0", "t1", "t2"), java.util.Map.of());
    }

    private static ModelArtifact withGenreNeighbours(ModelArtifact model) {
        int perTitle = 30;
        int[] offsets = new int[TITLES + 1];
        int[] rows = new int[TITLES * perTitle];
        float[] scores = new float[rows.length];
        for (int t = 0; t < TITLES; t++) {
            offsets[t + 1] = offsets[t] + perTitle;
            int base = t < 100 ? 0 : 100;
            for (int n = 0; n < perTitle; n++) {
                rows[offsets[t] + n] = base + (t - base + 1 + n) % 100;
                scores[offsets[t] + n] = 1f - n / (2f * perTitle); // cosines of one genre lie close together
            }
        }
        String[] ids = new String[TITLES];
        for (int i = 0; i < TITLES; i++) {
            ids[i] = model.itemId(i);
        }
        return new ModelArtifact(model.metadata(), ids, model.factors(), new TitleNeighbours(offsets, rows, scores));
    }
}
