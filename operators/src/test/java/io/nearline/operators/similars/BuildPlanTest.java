package io.nearline.operators.similars;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BuildPlanTest {

    private final Catalog catalog = SmallCatalog.catalog();

    @Test
    void blendsComeAfterEveryAlgorithmTheyBlend() throws Exception {
        BuildPlan plan = BuildPlan.of(List.of(
                SmallCatalog.spec("{name: all, version: 1, blend: {mix: 1, genre: 1}}"),
                SmallCatalog.spec("{name: mix, version: 1, blend: {genre: 1, watched: 1}}"),
                SmallCatalog.spec("{name: watched, version: 1, candidates: [co-watch], weights: {co-watch: 1}}"),
                SmallCatalog.spec("{name: genre, version: 1, candidates: [genre], weights: {genre: 1}}")), catalog);
        assertThat(plan.ordered()).extracting(AlgorithmSpec::name).containsExactly("genre", "watched", "mix", "all");
        assertThat(plan.usesCoWatch()).isTrue();
    }

    @Test
    void aCycleIsRefusedNamingTheLoopBeforeAnythingRuns() throws Exception {
        List<AlgorithmSpec> specs = List.of(
                SmallCatalog.spec("{name: a, version: 1, blend: {b: 1}}"),
                SmallCatalog.spec("{name: b, version: 1, blend: {c: 1}}"),
                SmallCatalog.spec("{name: c, version: 1, blend: {a: 1, g: 1}}"),
                SmallCatalog.spec("{name: g, version: 1, candidates: [genre], weights: {genre: 1}}"));
        assertThatThrownBy(() -> BuildPlan.of(specs, catalog))
                .isInstanceOf(InvalidAlgorithmException.class)
                .hasMessage("algorithms blend each other in a cycle: a -> b -> c -> a");
    }

    @Test
    void anUnknownReferenceIsRefused() throws Exception {
        List<AlgorithmSpec> specs = List.of(SmallCatalog.spec("{name: a, version: 1, blend: {nothing: 1}}"));
        assertThatThrownBy(() -> BuildPlan.of(specs, catalog))
                .hasMessageContaining("algorithm 'a': 'blend' refers to unknown algorithm 'nothing'");
    }

    @Test
    void aFacetNoTitleHasIsRefused() throws Exception {
        List<AlgorithmSpec> specs = List.of(SmallCatalog.spec("{name: a, version: 1, candidates: [cast], weights: {cast: 1}}"));
        assertThatThrownBy(() -> BuildPlan.of(specs, catalog))
                .hasMessageContaining("algorithm 'a': facet 'cast' is in no title of the catalog");
    }

    @Test
    void anAlgorithmDefinedTwiceIsRefused() throws Exception {
        AlgorithmSpec a = SmallCatalog.spec("{name: a, version: 1, candidates: [genre], weights: {genre: 1}}");
        assertThatThrownBy(() -> BuildPlan.of(List.of(a, a), catalog)).hasMessage("algorithm 'a' is defined twice");
    }
}
