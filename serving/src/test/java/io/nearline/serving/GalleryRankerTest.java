package io.nearline.serving;

import io.nearline.operators.members.BlendBruteForce;
import io.nearline.operators.members.HybridRanker;
import io.nearline.operators.members.RankerOptions;
import io.nearline.operators.models.ModelArtifact;
import io.nearline.operators.models.TestModels;
import io.nearline.schemas.model.ModelMetadata;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class GalleryRankerTest {

    private static final int TITLES = 600;
    private static final int RANK = 16;
    private static final HybridRanker.Settings DEFAULTS = RankerOptions.settings(new Configuration());

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void aFacetsGalleryIsTheBruteForceBlendOfItsTitles(long seed) {
        Random random = new Random(seed);
        ModelArtifact model = model(seed);
        List<String> facet = facet(random, 4);
        Set<String> seen = seenAndRecent(random, facet);
        float[] factor = factor(random);

        GalleryRanker.Ranked ranked = new GalleryRanker(DEFAULTS).rank(model, factor, GalleryRanker.FacetRows.of(model, facet), seen,
                new ArrayList<>(seen), seen.size(), 25);

        List<BlendBruteForce.Scored> expected = BlendBruteForce.rank(model, factor, rowSet(model, facet), rowSet(model, seen),
                newestFirst(model, new ArrayList<>(seen)), seen.size(), DEFAULTS, 25);
        assertThat(ranked.titles()).containsExactlyElementsOf(expected.stream().map(BlendBruteForce.Scored::title).toList());
        for (int i = 0; i < expected.size(); i++) {
            assertThat((double) ranked.scores().get(i)).as("score of %s", expected.get(i).title())
                    .isCloseTo(expected.get(i).score(), within(1e-4));
        }
    }

    @Test
    void theSessionSignalChangesTheGalleryAsTheBruteForceSaysItShould() {
        Random random = new Random(7);
        ModelArtifact model = model(7);
        List<String> facet = facet(random, 3);
        Set<String> seen = seenAndRecent(random, facet);
        float[] factor = factor(random);
        GalleryRanker ranker = new GalleryRanker(DEFAULTS);

        GalleryRanker.Ranked withSession = ranker.rank(model, factor, GalleryRanker.FacetRows.of(model, facet), seen,
                new ArrayList<>(seen), seen.size(), 10);
        GalleryRanker.Ranked withoutSession = ranker.rank(model, factor, GalleryRanker.FacetRows.of(model, facet), seen,
                List.of(), seen.size(), 10);

        assertThat(withSession.titles()).isNotEqualTo(withoutSession.titles());
        assertThat(withoutSession.titles()).containsExactlyElementsOf(BlendBruteForce.rank(model, factor, rowSet(model, facet),
                rowSet(model, seen), new int[0], seen.size(), DEFAULTS, 10).stream().map(BlendBruteForce.Scored::title).toList());
    }

    @Test
    void onlyTheFacetsUnseenTitlesAreRanked() {
        Random random = new Random(11);
        ModelArtifact model = model(11);
        List<String> facet = facet(random, 5);
        Set<String> seen = seenAndRecent(random, facet);

        GalleryRanker.Ranked ranked = new GalleryRanker(DEFAULTS).rank(model, factor(random), GalleryRanker.FacetRows.of(model, facet),
                seen, new ArrayList<>(seen), seen.size(), 100);

        Set<String> expected = new TreeSet<>(facet);
        expected.removeAll(seen);
        assertThat(ranked.titles()).hasSize(Math.min(100, expected.size())).doesNotHaveDuplicates().isSubsetOf(expected);
    }

    @Test
    void aFacetTheModelDoesNotKnowGivesAnEmptyGallery() {
        ModelArtifact model = model(3);

        GalleryRanker.Ranked ranked = new GalleryRanker(DEFAULTS).rank(model, factor(new Random(3)),
                GalleryRanker.FacetRows.of(model, List.of("not-in-the-model")), Set.of(), List.of(), 0, 10);

        assertThat(ranked.titles()).isEmpty();
    }

    /** A random model with a neighbour table and a popularity row over a third of its titles. */
    private static ModelArtifact model(long seed) {
        ModelArtifact random = TestModels.withRandomNeighbours(TestModels.random("v1", TITLES, RANK, seed), 40, seed);
        List<String> popular = new ArrayList<>();
        for (int i = 0; i < TITLES; i += 3) {
            popular.add("t" + ((i * 7 + seed) % TITLES));
        }
        ModelMetadata metadata = ModelMetadata.newBuilder(random.metadata()).setPopular(popular).build();
        String[] ids = new String[TITLES];
        for (int i = 0; i < TITLES; i++) {
            ids[i] = random.itemId(i);
        }
        return new ModelArtifact(metadata, ids, random.factors(), random.neighbours());
    }

    /** About one title in {@code every}. */
    private static List<String> facet(Random random, int every) {
        List<String> titles = new ArrayList<>();
        for (int i = 0; i < TITLES; i++) {
            if (random.nextInt(every) == 0) {
                titles.add("t" + i);
            }
        }
        return titles;
    }

    /** Eight titles the member has seen, newest first: five of the facet, three outside it, one unknown to the model. */
    private static Set<String> seenAndRecent(Random random, List<String> facet) {
        Set<String> seen = new LinkedHashSet<>();
        while (seen.size() < 5) {
            seen.add(facet.get(random.nextInt(facet.size())));
        }
        while (seen.size() < 8) {
            String title = "t" + random.nextInt(TITLES);
            if (!facet.contains(title)) {
                seen.add(title);
            }
        }
        seen.add("unknown-title");
        return seen;
    }

    private static float[] factor(Random random) {
        float[] factor = new float[RANK];
        for (int k = 0; k < RANK; k++) {
            factor[k] = (float) random.nextGaussian();
        }
        return factor;
    }

    private static Set<Integer> rowSet(ModelArtifact model, Iterable<String> titles) {
        Set<Integer> rows = new LinkedHashSet<>();
        for (String title : titles) {
            if (model.row(title) >= 0) {
                rows.add(model.row(title));
            }
        }
        return rows;
    }

    private static int[] newestFirst(ModelArtifact model, List<String> titles) {
        return titles.stream().mapToInt(model::row).filter(row -> row >= 0).toArray();
    }
}
