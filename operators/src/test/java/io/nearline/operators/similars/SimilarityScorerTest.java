package io.nearline.operators.similars;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SimilarityScorerTest {

    private final Catalog catalog = SmallCatalog.catalog();
    private final CoWatch coWatch = SmallCatalog.coWatch(catalog);

    private List<String> ids(SimilarList list) {
        List<String> ids = new ArrayList<>();
        for (int t : list.titles()) {
            ids.add(catalog.id(t));
        }
        return ids;
    }

    private SimilarList score(String yaml, String title) throws Exception {
        return new SimilarityScorer(SmallCatalog.spec(yaml), catalog, coWatch).score(catalog.index(title));
    }

    @Test
    void candidatesAreTheTitlesSharingACandidateFacetValueScoredByJaccard() throws Exception {
        SimilarList list = score("{name: g, version: 1, candidates: [genre], weights: {genre: 1}}", "t1");
        // t5 has the same genres (1), t2 one of two (1/2), t3 one of three (1/3); t4 shares none; t1 is itself.
        assertThat(ids(list)).containsExactly("t5", "t2", "t3");
        assertThat(list.scores()[0]).isEqualTo(1f);
        assertThat(list.scores()[1]).isCloseTo(0.5f, within(1e-6f));
        assertThat(list.scores()[2]).isCloseTo(1 / 3f, within(1e-6f));
    }

    @Test
    void weightsOfOtherFacetsAddToTheScoreAndChangeTheOrder() throws Exception {
        SimilarList list = score("{name: g, version: 1, candidates: [genre], weights: {genre: 1, decade: 1}}", "t1");
        // t2 now also shares the decade: 0.5 + 1; t5 stays at 1; t4 shares the decade but no genre: not a candidate.
        assertThat(ids(list)).containsExactly("t2", "t5", "t3");
        assertThat(list.scores()[0]).isCloseTo(1.5f, within(1e-6f));
    }

    @Test
    void coWatchFindsTitlesWatchedByTheSameMembersScoredByTheCosineOfTheirAudiences() throws Exception {
        SimilarList list = score("{name: c, version: 1, candidates: [co-watch], weights: {co-watch: 1}}", "t1");
        assertThat(ids(list)).containsExactly("t4", "t2");
        assertThat(list.scores()[0]).isCloseTo((float) (2 / Math.sqrt(3 * 3)), within(1e-6f));
        assertThat(list.scores()[1]).isCloseTo((float) (1 / Math.sqrt(3 * 1)), within(1e-6f));
    }

    @Test
    void theTitleItselfIsLeftOutUnlessTheFilterSaysOtherwise() throws Exception {
        assertThat(ids(score("{name: g, version: 1, candidates: [genre], weights: {genre: 1}}", "t1"))).doesNotContain("t1");
        assertThat(ids(score("{name: g, version: 1, candidates: [genre], weights: {genre: 1}, filters: {exclude-self: false}}", "t1")))
                .containsExactly("t1", "t5", "t2", "t3");
    }

    @Test
    void requireSharedKeepsOnlyCandidatesSharingTheFacetSuchAsARegion() throws Exception {
        assertThat(ids(score("{name: g, version: 1, candidates: [genre], weights: {genre: 1}, filters: {require-shared: [region]}}", "t1")))
                .containsExactly("t5", "t2");
    }

    @Test
    void excludedValuesRuleCandidatesOutSuchAsAMaturityRating() throws Exception {
        assertThat(ids(score("{name: g, version: 1, candidates: [genre], weights: {genre: 1}, filters: {exclude-values: {maturity: [NC-17]}}}", "t1")))
                .containsExactly("t2", "t3");
    }

    @Test
    void scoresBelowTheMinimumAreLeftOutAndTheListIsCutToItsLength() throws Exception {
        assertThat(ids(score("{name: g, version: 1, candidates: [genre], weights: {genre: 1}, filters: {min-score: 0.4}}", "t1")))
                .containsExactly("t5", "t2");
        assertThat(ids(score("{name: g, version: 1, candidates: [genre], weights: {genre: 1}, length: 1}", "t1")))
                .containsExactly("t5");
    }

    @Test
    void aBlendScoresEachCandidateByTheWeightedSumOfItsInputsScores() throws Exception {
        AlgorithmSpec genre = SmallCatalog.spec("{name: genre, version: 1, candidates: [genre], weights: {genre: 1}}");
        AlgorithmSpec watched = SmallCatalog.spec("{name: watched, version: 1, candidates: [co-watch], weights: {co-watch: 1}}");
        AlgorithmSpec blend = SmallCatalog.spec("{name: blend, version: 1, blend: {genre: 0.5, watched: 1.0}}");
        int t1 = catalog.index("t1");
        SimilarList list = new SimilarityScorer(blend, catalog, coWatch).blend(t1, Map.of(
                "genre", new SimilarityScorer(genre, catalog, coWatch).score(t1),
                "watched", new SimilarityScorer(watched, catalog, coWatch).score(t1)));
        // t2: 0.5 * 0.5 + 0.577; t4: 0.667; t5: 0.5 * 1; t3: 0.5 * 0.333
        assertThat(ids(list)).containsExactly("t2", "t4", "t5", "t3");
        assertThat(list.scores()[0]).isCloseTo((float) (0.25 + 1 / Math.sqrt(3)), within(1e-6f));
        assertThat(list.scores()[3]).isCloseTo(1 / 6f, within(1e-6f));
    }

    @Test
    void titlesNotInTheCatalogAreLeftOutOfCoWatchAndRepeatsCountOnce() {
        assertThat(coWatch.members()).isEqualTo(4);
        assertThat(coWatch.audience(catalog.index("t4"))).isEqualTo(3);
        assertThat(coWatch.fingerprint()).isEqualTo(SmallCatalog.coWatch(catalog).fingerprint());
    }
}
