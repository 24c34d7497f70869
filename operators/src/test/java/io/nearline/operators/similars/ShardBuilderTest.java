package io.nearline.operators.similars;

import io.nearline.operators.models.LocalArtifactStore;
import io.nearline.schemas.similars.SimilarTitles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class ShardBuilderTest {

    private static final int SHARDS = 3;
    private final Catalog catalog = SmallCatalog.catalog();
    private final CoWatch coWatch = SmallCatalog.coWatch(catalog);

    private BuildPlan plan(String genreVersion) throws Exception {
        return BuildPlan.of(List.of(
                SmallCatalog.spec("{name: genre, version: " + genreVersion + ", candidates: [genre], weights: {genre: 1}}"),
                SmallCatalog.spec("{name: decade, version: 1, candidates: [decade], weights: {decade: 1}}"),
                SmallCatalog.spec("{name: watched, version: 1, candidates: [co-watch], weights: {co-watch: 1}}"),
                SmallCatalog.spec("{name: blend, version: 1, blend: {genre: 0.5, watched: 1}}")), catalog);
    }

    /** Builds every shard; returns the outcomes by algorithm and status, and the titles computed. */
    private Result build(BuildPlan plan, Path out, List<SimilarTitles> lists) {
        ShardBuilder builder = new ShardBuilder(plan, catalog, coWatch, out.toUri(), SHARDS);
        List<ShardOutcome> outcomes = new ArrayList<>();
        try (LocalArtifactStore store = new LocalArtifactStore()) {
            for (int shard = 0; shard < SHARDS; shard++) {
                outcomes.addAll(builder.build(shard, store, lists::add));
            }
        }
        Map<String, String> status = new TreeMap<>();
        outcomes.forEach(o -> status.merge(o.algorithm, o.status.name(), (a, b) -> a.equals(b) ? a : a + "+" + b));
        return new Result(status, builder.titlesComputed(), builder.shardsReused());
    }

    private record Result(Map<String, String> status, long titlesComputed, long shardsReused) {}

    @Test
    void everyTitleGetsEachAlgorithmsListAndBlendsUseTheirInputsLists(@TempDir Path out) throws Exception {
        List<SimilarTitles> lists = new ArrayList<>();
        Result result = build(plan("1"), out, lists);
        assertThat(result.status()).containsOnly(Map.entry("blend", "BUILT"), Map.entry("decade", "BUILT"),
                Map.entry("genre", "BUILT"), Map.entry("watched", "BUILT"));
        assertThat(result.titlesComputed()).isEqualTo(4L * catalog.size());
        assertThat(lists).hasSize(4 * catalog.size());
        SimilarTitles blendOfT1 = lists.stream().filter(l -> l.getAlgorithm().equals("blend") && l.getTitleId().equals("t1")).findFirst().orElseThrow();
        assertThat(blendOfT1.getTitles()).containsExactly("t2", "t4", "t5", "t3");
    }

    @Test
    void aSecondBuildOfUnchangedInputsReadsInsteadOfComputing(@TempDir Path out) throws Exception {
        build(plan("1"), out, new ArrayList<>());
        List<SimilarTitles> again = new ArrayList<>();
        Result second = build(plan("1"), out, again);
        assertThat(second.titlesComputed()).isZero();
        assertThat(second.shardsReused()).isEqualTo(4L * SHARDS);
        assertThat(second.status().values()).containsOnly("REUSED");
        assertThat(again).hasSize(4 * catalog.size());
    }

    @Test
    void aNewVersionRebuildsThatAlgorithmAndItsBlendAndReusesTheRest(@TempDir Path out) throws Exception {
        build(plan("1"), out, new ArrayList<>());
        Result second = build(plan("2"), out, new ArrayList<>());
        assertThat(second.status()).containsOnly(Map.entry("blend", "BUILT"), Map.entry("decade", "REUSED"),
                Map.entry("genre", "BUILT"), Map.entry("watched", "REUSED"));
        assertThat(second.titlesComputed()).isEqualTo(2L * catalog.size());
    }

    @Test
    void changedCoWatchDataRebuildsOnlyTheAlgorithmsThatReadIt(@TempDir Path out) throws Exception {
        build(plan("1"), out, new ArrayList<>());
        CoWatch more = new CoWatch.Builder(catalog).add("m9", "t2").add("m9", "t3").add("m1", "t1").add("m1", "t4").build();
        ShardBuilder builder = new ShardBuilder(plan("1"), catalog, more, out.toUri(), SHARDS);
        List<ShardOutcome> outcomes = new ArrayList<>();
        for (int shard = 0; shard < SHARDS; shard++) {
            outcomes.addAll(builder.build(shard, new LocalArtifactStore(), l -> { }));
        }
        assertThat(outcomes).filteredOn(o -> o.status == ShardOutcome.Status.BUILT).extracting(o -> o.algorithm)
                .containsOnly("watched", "blend");
        assertThat(outcomes).filteredOn(o -> o.status == ShardOutcome.Status.REUSED).extracting(o -> o.algorithm)
                .containsOnly("genre", "decade");
    }

    @Test
    void rebuildingIntoAnotherFolderWritesByteIdenticalFiles(@TempDir Path first, @TempDir Path second) throws Exception {
        build(plan("1"), first, new ArrayList<>());
        build(plan("1"), second, new ArrayList<>());
        List<Path> files = files(first);
        assertThat(files).hasSize(4 * SHARDS);
        assertThat(files(second)).isEqualTo(files);
        for (Path file : files) {
            assertThat(Files.readAllBytes(second.resolve(file))).isEqualTo(Files.readAllBytes(first.resolve(file)));
        }
    }

    @Test
    void aDamagedStoredShardIsBuiltAgainWithTheSameBytes(@TempDir Path out) throws Exception {
        build(plan("1"), out, new ArrayList<>());
        URI folder = SimilarsFiles.resultFolder(out.toUri(), plan("1").get("watched"),
                ShardBuilder.keys(plan("1"), catalog, coWatch, SHARDS).get("watched"));
        Path damaged = Path.of(SimilarsFiles.shardUri(folder, 0, SHARDS));
        byte[] original = Files.readAllBytes(damaged);
        Files.write(damaged, new byte[] {1, 2, 3});
        ShardBuilder builder = new ShardBuilder(plan("1"), catalog, coWatch, out.toUri(), SHARDS);
        List<ShardOutcome> outcomes = builder.build(0, new LocalArtifactStore(), l -> { });
        assertThat(outcomes).filteredOn(o -> o.algorithm.equals("watched")).singleElement()
                .satisfies(o -> assertThat(o.status).isEqualTo(ShardOutcome.Status.BUILT));
        assertThat(outcomes).filteredOn(o -> !o.algorithm.equals("watched")).extracting(o -> o.status)
                .containsOnly(ShardOutcome.Status.REUSED);
        assertThat(Files.readAllBytes(damaged)).isEqualTo(original);
    }

    private static List<Path> files(Path root) throws Exception {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).map(root::relativize).sorted().toList();
        }
    }
}
